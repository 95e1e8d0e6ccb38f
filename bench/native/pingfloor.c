// pingfloor: the least a TAP-backed responder pays for a ping, with a chosen amount of resident memory.
// Creates TAP device argv[1], touches argv[2] MB of memory (kept resident, never used again), then answers
// ARP requests and ICMP echo requests for any address: one poll, one read and one write per frame. The poll
// waits without a timeout, like tapnet's reader when no timer is due; argv[3], if given, is a poll timeout
// in ms (1: a thread that ticks every millisecond). Used by bench/rss-latency.sh and bench/e2e.sh.
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const uint8_t MAC[6] = {2, 0, 0, 0, 0, 1};
static uint8_t *volatile resident; // volatile: the compiler must not drop the memory it never reads

static uint16_t checksum(const uint8_t *b, int n) {
    uint32_t s = 0;
    for (int i = 0; i + 1 < n; i += 2) s += (b[i] << 8) | b[i + 1];
    if (n & 1) s += b[n - 1] << 8;
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return ~s & 0xffff;
}

static int answerArp(uint8_t *f, int n) {
    if (n < 42 || f[21] != 1) return 0;
    uint8_t target[4];
    memcpy(target, f + 38, 4);
    memcpy(f, f + 6, 6);
    memcpy(f + 6, MAC, 6);
    f[21] = 2;
    memcpy(f + 32, f + 22, 10); // sender becomes target
    memcpy(f + 22, MAC, 6);
    memcpy(f + 28, target, 4);
    return 42;
}

static int answerPing(uint8_t *f, int n) {
    if (n < 42 || f[23] != 1 || f[34] != 8) return 0;
    memcpy(f, f + 6, 6);
    memcpy(f + 6, MAC, 6);
    uint8_t address[4];
    memcpy(address, f + 26, 4);
    memcpy(f + 26, f + 30, 4);
    memcpy(f + 30, address, 4);
    f[34] = 0;
    f[36] = f[37] = 0;
    uint16_t c = checksum(f + 34, ((f[16] << 8) | f[17]) - 20);
    f[36] = c >> 8;
    f[37] = c & 0xff;
    return n;
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
    struct ifreq ifr = {0};
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
    if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) return 1;
    size_t bytes = (size_t) atoi(argv[2]) << 20;
    int tick = argc > 3 ? atoi(argv[3]) : -1;
    if (bytes > 0) {
        resident = malloc(bytes);
        memset(resident, 1, bytes);
    }
    write(1, "ready\n", 6);
    uint8_t f[2048];
    struct pollfd p = {fd, POLLIN, 0};
    for (;;) {
        int n = read(fd, f, sizeof f);
        if (n <= 0) {
            poll(&p, 1, tick);
            continue;
        }
        int type = (f[12] << 8) | f[13];
        int reply = type == 0x0806 ? answerArp(f, n) : type == 0x0800 ? answerPing(f, n) : 0;
        if (reply > 0) write(fd, f, reply);
    }
}
