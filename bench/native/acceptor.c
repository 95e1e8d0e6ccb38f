// acceptor: listen on PORT (all addresses), accept and close every connection; serves until killed.
// A copy of the lab's acceptor.c (../shared/lab) with an IPv6 option: `acceptor PORT 6` listens on [::]
// for IPv6 only (IPV6_V6ONLY), so that the lab's IPv4 acceptor may hold the same port beside it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
int main(int argc,char**argv){int port=argc>1?atoi(argv[1]):7000;int v6=argc>2&&!strcmp(argv[2],"6");
 int s=socket(v6?AF_INET6:AF_INET,SOCK_STREAM,0);int one=1;
 setsockopt(s,SOL_SOCKET,SO_REUSEADDR,&one,sizeof one);
 struct sockaddr_in a={0};a.sin_family=AF_INET;a.sin_port=htons(port);
 struct sockaddr_in6 a6={0};a6.sin6_family=AF_INET6;a6.sin6_port=htons(port);a6.sin6_addr=in6addr_any;
 if(v6)setsockopt(s,IPPROTO_IPV6,IPV6_V6ONLY,&one,sizeof one);
 if((v6?bind(s,(void*)&a6,sizeof a6):bind(s,(void*)&a,sizeof a))||listen(s,4096)){perror("listen");return 1;}
 for(;;){int c=accept(s,0,0);if(c>=0)close(c);}}
