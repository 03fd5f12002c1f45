/*
 * hopscope: parse options, open the probe sockets, drop privileges,
 * resolve the target, run the probe loop and write the chosen output.
 * Only main() exits.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "analysis/diagnose.h"
#include "analysis/twoway.h"
#include "cli/options.h"
#include "core/clock.h"
#include "core/text.h"
#include "net/idfilter.h"
#include "net/privdrop.h"
#include "net/sockets.h"
#include "output/format.h"
#include "output/outfile.h"
#include "output/raw.h"
#include "output/split.h"
#include "probe/udp.h"
#include "sched/run.h"
#include "tui/tui.h"

#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130
#define HS_VERSION "0.1.0"

struct app {
	struct options opt;
	struct hs_sock sock4, sock6;
	char sock_err4[256], sock_err6[256];
	struct hs_sock *sock;
	struct hs_tcp_probes *tcp; /* -T */
	struct hs_path *path;
	struct hs_probe_table *table;
	struct hs_run run;
	struct hs_run_info info;
	struct hs_outfile out;
	struct hs_split split;
	struct hs_raw raw;
	struct hs_diagnosis diag;
	struct hs_tui *tui;
	struct hs_run_observer tui_observer;
	char back_addr[HS_ADDRSTRLEN];
	char err[512];
};

static enum hs_probe_kind probe_kind(const struct options *o)
{
	return o->tcp ? HS_PROBE_TCP : o->udp ? HS_PROBE_UDP : HS_PROBE_ICMP;
}

/* Both families are opened before privileges go: the target's family is
 * known only after resolving it, which reads files, so comes later. */
static void open_sockets(struct app *a)
{
	if (a->opt.family != AF_INET6)
		hs_sock_open(&a->sock4, AF_INET, probe_kind(&a->opt),
			     a->sock_err4, sizeof(a->sock_err4));
	if (a->opt.family != AF_INET)
		hs_sock_open(&a->sock6, AF_INET6, probe_kind(&a->opt),
			     a->sock_err6, sizeof(a->sock_err6));
}

static int resolve_target(struct app *a, struct hs_addr *out)
{
	struct addrinfo hints = { .ai_family = a->opt.family,
				  .ai_socktype = SOCK_RAW };
	struct addrinfo *res, *ai;
	int rc = getaddrinfo(a->opt.host, NULL, &hints, &res);

	if (rc != 0) {
		snprintf(a->err, sizeof(a->err), "cannot resolve '%s': %s",
			 a->info.target, gai_strerror(rc));
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
	if (!ai)
		snprintf(a->err, sizeof(a->err), "%s",
			 res->ai_family == AF_INET ? a->sock_err4 :
						     a->sock_err6);
	freeaddrinfo(res);
	return ai ? 0 : -1;
}

static int choose_socket(struct app *a, const struct hs_addr *target)
{
	struct hs_addr src;

	a->sock = target->family == AF_INET ? &a->sock4 : &a->sock6;
	hs_sock_close(target->family == AF_INET ? &a->sock6 : &a->sock4);
	if (target->family == AF_INET6 &&
	    a->opt.psize < HS_IPV6_HDR_LEN + HS_ICMP_HDR_LEN) {
		snprintf(a->err, sizeof(a->err), "-s/--psize: %d is below 48, "
			 "the smallest IPv6 echo request", a->opt.psize);
		return -1;
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

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static uint16_t random_u16(void)
{
	uint16_t v;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (uint16_t)(getpid() ^ hs_mono_ns());
	return v;
}

static uint16_t random_ident(void)
{
	uint16_t id = 0;

	while (id == 0)
		id = random_u16();
	return id;
}

/* A number from low to 65535, at random. */
static uint16_t random_first_seq(uint16_t low)
{
	return (uint16_t)(low + random_u16() % (65536u - low));
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
	a->info.show_mpls = a->opt.mpls;
	a->info.wide = a->opt.wide;
}

/* --- streaming outputs ------------------------------------------------ */

static int split_changed(void *arg)
{
	struct app *a = arg;

	return hs_split_update(&a->split, a->out.fp, a->path, &a->info);
}

static void raw_sent(void *arg, int ttl, uint16_t seq)
{
	hs_raw_sent(&((struct app *)arg)->raw, ttl, seq);
}

static void raw_reply(void *arg, int ttl, const struct hs_addr *from,
		      int64_t rtt_ns, uint16_t seq)
{
	hs_raw_reply(&((struct app *)arg)->raw, ttl, from, rtt_ns, seq);
}

static int raw_changed(void *arg)
{
	struct app *a = arg;

	return hs_raw_names(&a->raw, a->path);
}

static const struct hs_run_observer split_observer = {
	.changed = split_changed,
};

static const struct hs_run_observer raw_observer = {
	.sent = raw_sent,
	.reply = raw_reply,
	.changed = raw_changed,
};

static enum hs_run_command tui_input(void *arg)
{
	return hs_tui_input(((struct app *)arg)->tui);
}

static int tui_changed(void *arg)
{
	struct app *a = arg;
	struct hs_tui_view v = {
		.path = a->path,
		.info = &a->info,
		.cycles = a->run.cycles_sent,
		.elapsed_ns = hs_run_elapsed_ns(&a->run, hs_mono_ns()),
		.paused = a->run.paused,
		.back_addr = a->back_addr,
	};

	hs_tui_draw(a->tui, &v);
	return 0;
}

/* The screen is the default on a terminal when no report was asked for. */
static bool wants_screen(const struct options *o)
{
	return o->curses || (!o->mode_given && !o->output_file &&
			     isatty(STDOUT_FILENO) && isatty(STDIN_FILENO));
}

static void watch_run(struct app *a)
{
	a->run.obs_arg = a;
	if (a->tui) {
		a->tui_observer = (struct hs_run_observer){
			.changed = tui_changed,
			.input = tui_input,
			.input_fd = STDIN_FILENO,
			.tick_ms = 200,
		};
		a->run.obs = &a->tui_observer;
	} else if (a->opt.output == HS_OUT_SPLIT) {
		hs_split_init(&a->split);
		a->run.obs = &split_observer;
	} else if (a->opt.output == HS_OUT_RAW) {
		hs_raw_init(&a->raw, a->out.fp);
		a->run.obs = &raw_observer;
	}
}

/* --- the run ---------------------------------------------------------- */

/* This host's address as the destination would see it (reverse advice). */
static void find_back_addr(struct app *a)
{
	struct hs_addr here = a->info.source;

	if (hs_addr_is_set(&here) ||
	    hs_local_addr_for(&a->path->target, &here) == 0)
		hs_addr_str(&here, a->back_addr);
}

static void diagnose(struct app *a)
{
	hs_diagnose(a->path, a->info.target, a->back_addr, &a->diag);
}

static int setup_run(struct app *a, const struct hs_addr *target)
{
	struct hs_run *r = &a->run;
	uint16_t low;
	int e;

	a->path = hs_path_new(target, a->opt.first_ttl, a->opt.max_ttl);
	a->table = calloc(1, sizeof(*a->table));
	if (!a->path || !a->table) {
		snprintf(a->err, sizeof(a->err), "out of memory");
		return -1;
	}
	a->path->probe = probe_kind(&a->opt);
	if (a->opt.tcp) {
		a->tcp = malloc(sizeof(*a->tcp));
		if (!a->tcp) {
			snprintf(a->err, sizeof(a->err), "out of memory");
			return -1;
		}
		hs_tcp_init(a->tcp, target->family, (uint16_t)a->opt.port,
			    a->opt.src_addr ? &a->info.source : NULL);
		r->tcp = a->tcp;
	}
	/* The first sequence number is random, like the identifier: an
	 * off-path host must guess both, and the keyed check besides. */
	low = a->opt.udp ? HS_UDP_FIRST_PORT : 0;
	hs_table_init(a->table, random_first_seq(low), low);
	if (hs_mac_key_new(&r->key) < 0) {
		snprintf(a->err, sizeof(a->err), "cannot start libsodium");
		return -1;
	}
	r->opt = &a->opt;
	r->sock = a->sock;
	r->path = a->path;
	r->table = a->table;
	r->ident = random_ident();
	e = a->sock->raw ? hs_sock_filter_ident(a->sock->fd, target->family,
						 r->ident) : 0;
	if (e < 0) {
		snprintf(a->err, sizeof(a->err), "cannot filter the ICMP "
			 "socket: %s", strerror(-e));
		return -1;
	}
	r->signal_fd = block_signals();
	if (!a->opt.no_dns) {
		r->rdns = hs_rdns_new(a->err, sizeof(a->err));
		if (!r->rdns)
			return -1;
	}
	a->info.probe_mode = a->sock->kind == HS_PROBE_TCP ? "TCP" :
			     a->sock->kind == HS_PROBE_UDP ? "UDP" :
			     a->sock->raw ? "raw ICMP" : "ICMP datagram";
	if (a->opt.mpls && !a->sock->raw)
		fprintf(stderr, "hopscope: -e/--mpls: labels reach only raw "
			"ICMP sockets (%s); none will be shown\n",
			a->sock->kind != HS_PROBE_ICMP ? "not UDP or TCP probes" :
							 "root or cap_net_raw");
	find_back_addr(a);
	if (wants_screen(&a->opt)) {
		if (!a->opt.cycles_given)
			a->opt.cycles = INT_MAX; /* until q */
		a->tui = hs_tui_open(a->opt.fields, a->opt.mpls, a->err,
				     sizeof(a->err));
		if (!a->tui)
			return -1;
	}
	watch_run(a);
	return 0;
}

static int write_output(struct app *a)
{
	const struct hs_format *f = hs_format_for(a->opt.output);
	struct hs_output_ctx ctx = { a->path, &a->info, &a->diag,
				     a->opt.fields };

	if (a->opt.output == HS_OUT_SPLIT)
		split_changed(a);
	if (f) {
		diagnose(a);
		errno = 0;
		if (f->write(a->out.fp, &ctx) < 0) {
			snprintf(a->err, sizeof(a->err), "cannot write the "
				 "report: %s", strerror(errno ? errno : EIO));
			hs_outfile_abort(&a->out);
			return -1;
		}
	}
	return hs_outfile_commit(&a->out, a->err, sizeof(a->err));
}

static int trace(struct app *a)
{
	struct hs_addr target;
	int rc;

	fill_info(a);
	if (resolve_target(a, &target) < 0 || choose_socket(a, &target) < 0 ||
	    setup_run(a, &target) < 0) {
		hs_outfile_abort(&a->out);
		return 1;
	}
	a->info.start_real_ns = hs_real_ns();
	rc = hs_run_loop(&a->run, a->err, sizeof(a->err));
	a->info.end_real_ns = hs_real_ns();
	a->info.interrupted = a->run.interrupted;
	if (a->tui) { /* give the terminal back before anything is printed */
		hs_tui_close(a->tui);
		a->tui = NULL;
		/* q: the user has seen the figures; a file still gets them */
		if (a->run.quit && !a->opt.output_file)
			return 0;
	}
	if (rc < 0) {
		hs_outfile_abort(&a->out);
		return 1;
	}
	if (write_output(a) < 0)
		return 1;
	return a->run.interrupted ? EXIT_INTERRUPTED : 0;
}

static int diagnose_files(struct app *a)
{
	int rc = hs_twoway_main(a->opt.diagnose[0], a->opt.diagnose[1],
				a->out.fp, a->err, sizeof(a->err));

	if (rc != 0) {
		hs_outfile_abort(&a->out);
		return rc;
	}
	return hs_outfile_commit(&a->out, a->err, sizeof(a->err)) < 0 ? 1 : 0;
}

/* Every mode: the sockets a trace needs are opened, then every privilege
 * goes before any file (or name, or --output) is touched.  A place
 * --output cannot write is a bad option value, refused before any probe. */
static int run_mode(struct app *a)
{
	if (!a->opt.diagnose[0])
		open_sockets(a);
	if (hs_drop_privileges(a->err, sizeof(a->err)) < 0)
		return 1;
	if (hs_outfile_open(&a->out, a->opt.output_file, a->err,
			    sizeof(a->err)) < 0)
		return EXIT_USAGE;
	return a->opt.diagnose[0] ? diagnose_files(a) : trace(a);
}

static void cleanup(struct app *a)
{
	hs_tui_close(a->tui);
	hs_rdns_free(a->run.rdns);
	if (a->tcp)
		hs_tcp_close_all(a->tcp);
	free(a->tcp);
	if (a->run.signal_fd >= 0)
		close(a->run.signal_fd);
	hs_sock_close(&a->sock4);
	hs_sock_close(&a->sock6);
	hs_path_free(a->path);
	free(a->table);
}

int main(int argc, char **argv)
{
	static struct app a;
	int rc;

	signal(SIGPIPE, SIG_IGN); /* a closed pipe is EPIPE, in every mode */
	a.run.signal_fd = -1;
	a.sock4.fd = a.sock6.fd = -1;
	if (hs_options_parse(&a.opt, argc, argv, a.err, sizeof(a.err)) < 0) {
		fprintf(stderr, "hopscope: %s\n", a.err);
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
	/* each TCP probe has its own socket: check the budget before any */
	if (a.opt.tcp && !a.opt.diagnose[0] &&
	    hs_tcp_budget(a.opt.max_ttl, a.opt.interval, a.err,
			  sizeof(a.err)) < 0) {
		fprintf(stderr, "hopscope: %s\n", a.err);
		return EXIT_USAGE;
	}
	rc = run_mode(&a);
	if (rc != 0 && a.err[0])
		fprintf(stderr, "hopscope: %s\n", a.err);
	cleanup(&a);
	return rc;
}
