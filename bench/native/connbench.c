// connbench: open TCP connections to HOST:PORT as fast as possible for SECS seconds,
// CONC in flight at once (epoll, non-blocking). Each connection is closed right after it
// is established: with RST (linger 0) by default, or with FIN when MODE=fin.
// A copy of the lab's connbench.c (../shared/lab) that also speaks IPv6: a HOST with a ':' in it
// (fd78::2) is an IPv6 address, otherwise IPv4; the measurement and the output are the lab's.
// Prints: established N in S s = R conn/s, errors E
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  if(argc<5){fprintf(stderr,"usage: connbench HOST PORT CONC SECS [fin]   (HOST: IPv4 or IPv6 address)\n");return 2;}
  const char*host=argv[1];int port=atoi(argv[2]);int conc=atoi(argv[3]);double secs=atof(argv[4]);
  int fin=argc>5&&!strcmp(argv[5],"fin");
  // The one change from the lab's: the address family follows HOST.
  struct sockaddr_storage ss={0};socklen_t salen;int family=strchr(host,':')?AF_INET6:AF_INET;
  if(family==AF_INET6){struct sockaddr_in6*a=(struct sockaddr_in6*)&ss;a->sin6_family=AF_INET6;a->sin6_port=htons(port);
    if(inet_pton(AF_INET6,host,&a->sin6_addr)!=1){fprintf(stderr,"connbench: bad IPv6 address %s\n",host);return 2;}salen=sizeof*a;}
  else{struct sockaddr_in*a=(struct sockaddr_in*)&ss;a->sin_family=AF_INET;a->sin_port=htons(port);
    if(inet_pton(AF_INET,host,&a->sin_addr)!=1){fprintf(stderr,"connbench: bad IPv4 address %s\n",host);return 2;}salen=sizeof*a;}
  int ep=epoll_create1(0);long ok=0,err=0;double t0=now(),end=t0+secs;
  int inflight=0;
  #define OPEN() do{int s=socket(family,SOCK_STREAM|SOCK_NONBLOCK,0); if(s<0){err++;break;} \
    if(!fin){struct linger l={1,0};setsockopt(s,SOL_SOCKET,SO_LINGER,&l,sizeof l);} \
    int r=connect(s,(struct sockaddr*)&ss,salen); \
    if(r<0&&errno!=EINPROGRESS){err++;close(s);break;} \
    struct epoll_event ev={.events=EPOLLOUT,.data.fd=s};epoll_ctl(ep,EPOLL_CTL_ADD,s,&ev);inflight++;}while(0)
  for(int i=0;i<conc;i++) OPEN();
  struct epoll_event evs[256];
  while(now()<end){
    int n=epoll_wait(ep,evs,256,100);
    for(int i=0;i<n;i++){int s=evs[i].data.fd;int e=0;socklen_t l=sizeof e;getsockopt(s,SOL_SOCKET,SO_ERROR,&e,&l);
      if(e==0)ok++;else err++;
      epoll_ctl(ep,EPOLL_CTL_DEL,s,0);close(s);inflight--;}
    while(inflight<conc) {int before=inflight; OPEN(); if(inflight==before) break;}
  }
  double t=now()-t0;printf("established %ld in %.2f s = %.0f conn/s, errors %ld\n",ok,t,ok/t,err);return 0;}
