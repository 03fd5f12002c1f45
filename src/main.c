/*
 * hopscope: parse options, open the probe sockets, drop privileges,
 * resolve the target, run the probe loop and print the chosen output.
 * Only main() exits.
 */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli/options.h"
#include "core/clock.h"
#include "core/text.h"
#include "net/privdrop.h"
#include "net/sockets.h"
#include "analysis/diagnose.h"
#include "analysis/twoway.h"
#include "output/diagnosis_text.h"
#include "output/json.h"
#include "output/report.h"
#include "output/split.h"
#include "sched/run.h"

#define EXIT_USAGE 2
#define HS_VERSION "0.1.0"

struct app {
	struct options opt;
	struct hs_sock sock4, sock6;
	char sock_err4[256], sock_err6[256];
	struct hs_sock *sock;
	struct hs_path *path;
	struct hs_probe_table *table;
	struct hs_run run;
	struct hs_run_info info;
	struct hs_split split;
	struct hs_diagnosis diag;
	char err[512];
};

static void fail(const char *msg)
{
	fprintf(stderr, "hopscope: %s\n", msg);
}

/* Both families are opened before privileges go: the target's family is
 * known only after resolving it, which reads files, so comes later. */
static void open_sockets(struct app *a)
{
	a->sock4.fd = a->sock6.fd = -1;
	if (a->opt.family != AF_INET6)
		hs_sock_open(&a->sock4, AF_INET, a->sock_err4,
			     sizeof(a->sock_err4));
	if (a->opt.family != AF_INET)
		hs_sock_open(&a->sock6, AF_INET6, a->sock_err6,
			     sizeof(a->sock_err6));
}

static int resolve_target(struct app *a, struct hs_addr *out)
{
	struct addrinfo hints = { .ai_family = a->opt.family,
				  .ai_socktype = SOCK_RAW };
	struct addrinfo *res, *ai;
	int rc = getaddrinfo(a->opt.host, NULL, &hints, &res);

	if (rc != 0) {
		snprintf(a->err, sizeof(a->err), "cannot resolve '%s': %s",
			 a->opt.host, gai_strerror(rc));
		return -1;
	}
	/* The first address whose family has a working socket wins. */
	for (ai = res; ai; ai = ai->ai_next) {
		struct hs_sock *s = ai->ai_family == AF_INET ? &a->sock4 :
							       &a->sock6;

		if (s->fd >= 0 && hs_addr_from_sockaddr(ai->ai_addr,
							ai->ai_addrlen,
							out) == 0)
			break;
	}
	if (!ai) {
		ai = res;
		snprintf(a->err, sizeof(a->err), "%s",
			 ai->ai_family == AF_INET ? a->sock_err4 : a->sock_err6);
	}
	freeaddrinfo(res);
	return ai ? 0 : -1;
}

static int choose_socket(struct app *a, const struct hs_addr *target)
{
	struct hs_addr src;

	a->sock = target->family == AF_INET ? &a->sock4 : &a->sock6;
	hs_sock_close(target->family == AF_INET ? &a->sock6 : &a->sock4);
	if (a->opt.family == AF_INET6 || target->family == AF_INET6) {
		if (a->opt.psize < HS_IPV6_HDR_LEN + HS_ICMP_HDR_LEN) {
			snprintf(a->err, sizeof(a->err), "-s/--psize: %d is "
				 "below 48, the smallest IPv6 echo request",
				 a->opt.psize);
			return -1;
		}
	}
	if (!a->opt.src_addr)
		return 0;
	if (hs_addr_parse(a->opt.src_addr, &src) < 0 ||
	    src.family != target->family) {
		snprintf(a->err, sizeof(a->err), "-a/--address: '%s' is not an "
			 "IPv%c address", a->opt.src_addr,
			 target->family == AF_INET ? '4' : '6');
		return -1;
	}
	a->info.source = src;
	return hs_sock_bind(a->sock, &src, a->err, sizeof(a->err));
}

static int block_signals(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN); /* write errors come back as EPIPE */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static uint16_t random_ident(void)
{
	uint16_t id = 0;

	while (id == 0)
		if (getrandom(&id, sizeof(id), 0) != sizeof(id))
			id = (uint16_t)(getpid() ^ hs_mono_ns());
	return id;
}

static void fill_info(struct app *a)
{
	char host[256] = "";

	gethostname(host, sizeof(host) - 1);
	hs_sanitize(host, a->info.local_host, sizeof(a->info.local_host));
	hs_sanitize(a->opt.host, a->info.target, sizeof(a->info.target));
	a->info.cycles = a->opt.cycles;
	a->info.psize = a->opt.psize;
	a->info.interval = a->opt.interval;
	a->info.show_ips = a->opt.show_ips;
	a->info.wide = a->opt.wide;
	a->info.probe_mode = a->sock->raw ? "raw ICMP" : "ICMP datagram";
}

static int stream_split(void *arg)
{
	struct app *a = arg;

	return hs_split_update(&a->split, stdout, a->path, &a->info);
}

static void diagnose(struct app *a)
{
	struct hs_addr here = a->info.source;
	char back[HS_ADDRSTRLEN] = "";

	if (hs_addr_is_set(&here) ||
	    hs_local_addr_for(&a->path->target, &here) == 0)
		hs_addr_str(&here, back);
	hs_diagnose(a->path, a->info.target, back, &a->diag);
}

static int write_output(struct app *a)
{
	switch (a->opt.output) {
	case HS_OUT_SPLIT:
		return hs_split_update(&a->split, stdout, a->path, &a->info);
	case HS_OUT_JSON:
		diagnose(a);
		return hs_json_write(stdout, a->path, &a->info, &a->diag);
	case HS_OUT_REPORT:
		break;
	}
	diagnose(a);
	if (hs_report_write(stdout, a->path, &a->info, NULL) < 0)
		return -1;
	hs_diagnosis_write_text(stdout, &a->diag);
	return ferror(stdout) ? -1 : 0;
}

static int setup_run(struct app *a, const struct hs_addr *target)
{
	struct hs_run *r = &a->run;

	a->path = calloc(1, sizeof(*a->path));
	a->table = calloc(1, sizeof(*a->table));
	if (!a->path || !a->table) {
		snprintf(a->err, sizeof(a->err), "out of memory");
		return -1;
	}
	hs_path_init(a->path, target, a->opt.first_ttl, a->opt.max_ttl);
	/* Sequence numbers start alike in every run; the random identifier
	 * alone tells runs apart, and the tests rely on exactly that. */
	hs_table_init(a->table, 1);
	r->opt = &a->opt;
	r->sock = a->sock;
	r->path = a->path;
	r->table = a->table;
	r->ident = random_ident();
	r->signal_fd = block_signals();
	if (!a->opt.no_dns) {
		r->rdns = hs_rdns_new(a->err, sizeof(a->err));
		if (!r->rdns)
			return -1;
	}
	if (a->opt.output == HS_OUT_SPLIT) {
		hs_split_init(&a->split);
		r->on_change = stream_split;
		r->arg = a;
	}
	return 0;
}

static int trace(struct app *a)
{
	struct hs_addr target;
	int rc;

	open_sockets(a);
	if (hs_drop_privileges(a->err, sizeof(a->err)) < 0 ||
	    resolve_target(a, &target) < 0 || choose_socket(a, &target) < 0 ||
	    setup_run(a, &target) < 0)
		return 1;
	fill_info(a);
	a->info.start_real_ns = hs_real_ns();
	rc = hs_run_loop(&a->run, a->err, sizeof(a->err));
	a->info.end_real_ns = hs_real_ns();
	a->info.interrupted = a->run.interrupted;
	if (rc < 0)
		return 1;
	if (write_output(a) < 0) {
		snprintf(a->err, sizeof(a->err), "cannot write the report: %s",
			 strerror(errno));
		return 1;
	}
	return a->run.interrupted ? 130 : 0;
}

static void cleanup(struct app *a)
{
	hs_rdns_free(a->run.rdns);
	if (a->run.signal_fd >= 0)
		close(a->run.signal_fd);
	hs_sock_close(&a->sock4);
	hs_sock_close(&a->sock6);
	free(a->path);
	free(a->table);
}

int main(int argc, char **argv)
{
	static struct app a;
	int rc;

	a.run.signal_fd = -1;
	a.sock4.fd = a.sock6.fd = -1;
	if (hs_options_parse(&a.opt, argc, argv, a.err, sizeof(a.err)) < 0) {
		fail(a.err);
		return EXIT_USAGE;
	}
	if (a.opt.help) {
		hs_options_usage(stdout);
		return 0;
	}
	if (a.opt.version) {
		printf("hopscope %s\n", HS_VERSION);
		return 0;
	}
	if (a.opt.diagnose[0])
		rc = hs_twoway_main(a.opt.diagnose[0], a.opt.diagnose[1],
				    stdout, a.err, sizeof(a.err));
	else
		rc = trace(&a);
	if (rc == 1 || (rc != 0 && rc != 130 && a.err[0]))
		fail(a.err);
	cleanup(&a);
	return rc;
}
