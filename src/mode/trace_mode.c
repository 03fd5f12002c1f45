#include "mode/trace_mode.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "analysis/diagnose.h"
#include "core/clock.h"
#include "core/keyfile.h"
#include "core/text.h"
#include "net/idfilter.h"
#include "mda/mda.h"
#include "net/tcpraw.h"
#include "net/wire.h"
#include "output/format.h"
#include "output/mda_out.h"
#include "probe/flow.h"
#include "probe/payload.h"
#include "probe/sctp.h"
#include "probe/udp.h"

#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130
#define DEFAULT_MANY_RATE 1000 /* probes a second with several hosts */

static enum hs_probe_kind probe_kind(const struct options *o)
{
	return o->tcp ? HS_PROBE_TCP : o->udp ? HS_PROBE_UDP :
	       o->sctp ? HS_PROBE_SCTP : HS_PROBE_ICMP;
}

/* Flow-stable probes: ICMP and UDP unless --flow-vary (probe/flow.h). */
static bool flow_stable(const struct options *o)
{
	return !o->flow_vary && !o->tcp && !o->sctp;
}

/* Payload bytes in front of the keyed check (probe/payload.h). */
static size_t payload_prefix(const struct options *o)
{
	return hs_payload_prefix(o->udp, flow_stable(o), o->port_given);
}

static int fam_index(int family)
{
	return family == AF_INET6;
}

static bool wants_screen(const struct hs_trace_mode *m);

static struct hs_wire wire_of(const struct options *o)
{
	return (struct hs_wire){ .tos = o->tos, .mark = o->mark,
				 .iface = o->iface };
}

/* The raw TCP source ports a run holds: one a flow, or with --flow-vary
 * all it may, a new one each probe in turn. */
static int tcp_ports(const struct options *o)
{
	return o->flow_vary ? HS_SOCK_PORTS : o->flows > 1 ? o->flows : 1;
}

/* family's probe socket into m->sock[f].  -T: raw TCP where the process
 * may (root, cap_net_raw), else a connect() a probe. */
static void open_family(struct hs_trace_mode *m, int f, int family)
{
	int rc = -EPERM;

	if (m->opt->tcp)
		rc = hs_tcpraw_open(&m->sock[f], family, tcp_ports(m->opt),
				    m->sock_err[f], sizeof(m->sock_err[f]));
	if (rc == -EPERM || rc == -EACCES)
		hs_sock_open(&m->sock[f], family, probe_kind(m->opt),
			     m->sock_err[f], sizeof(m->sock_err[f]));
}

/* What TCP probes by connect() (no raw sockets) cannot do: each has a
 * socket of its own, opened after privileges go, whose kernel resends an
 * unanswered SYN after 1 s.  0, or -1 with why. */
static int connect_unfit(const struct options *o, char *err, size_t errlen)
{
	if (o->timeout > 1) {
		snprintf(err, errlen, "-Z/--timeout: TCP probes without raw "
			 "sockets wait at most 1 s (the kernel resends the "
			 "SYN then, and an answer could be to either); root "
			 "or cap_net_raw sends raw SYNs, which may wait "
			 "longer");
		return -1;
	}
	if (o->flows > 1) {
		snprintf(err, errlen, "--flows: TCP flows need raw sockets "
			 "(root or cap_net_raw); without them each TCP "
			 "probe is a connect() from a port of its own");
		return -1;
	}
	if (o->mark) {
		snprintf(err, errlen, "-M/--mark: TCP probes without raw "
			 "sockets each open a socket after privileges are "
			 "dropped, and a mark needs cap_net_admin");
		return -1;
	}
	return hs_tcp_budget(o->max_ttl, o->interval, err, errlen) < 0 ? -1 :
									  0;
}

/* A run of TCP probes by connect() is refused what it cannot do. */
static int check_tcp_connect(const struct hs_trace_mode *m, char *err,
			     size_t errlen)
{
	int f;

	for (f = 0; f < 2; f++)
		if (m->sock[f].fd >= 0 && m->sock[f].kind == HS_PROBE_TCP &&
		    !m->sock[f].raw)
			return connect_unfit(m->opt, err, errlen);
	return 0;
}

/* --- the screen's u and t: the sockets of the other kinds --------------- */

/* ICMP echo: raw with privilege, an ICMP datagram ("ping") socket
 * without. */
static int open_icmp(const struct options *o, struct hs_sock *s, int family,
		     char *err, size_t errlen)
{
	(void)o;
	return hs_sock_open(s, family, HS_PROBE_ICMP, err, errlen);
}

/* UDP: one datagram socket (with privilege its errors come whole to a
 * raw ICMP socket beside it). */
static int open_udp(const struct options *o, struct hs_sock *s, int family,
		    char *err, size_t errlen)
{
	(void)o;
	return hs_sock_open(s, family, HS_PROBE_UDP, err, errlen);
}

/* TCP: raw SYNs from held ports where the process may (see
 * open_family), else a connect() a probe, opened as it goes: this one
 * proves the family works and takes -a's bind. */
static int open_tcp(const struct options *o, struct hs_sock *s, int family,
		    char *err, size_t errlen)
{
	int rc = hs_tcpraw_open(s, family, tcp_ports(o), err, errlen);

	if (rc == -EPERM || rc == -EACCES)
		rc = hs_sock_open(s, family, HS_PROBE_TCP, err, errlen);
	return rc;
}

static int (*const open_kind[])(const struct options *, struct hs_sock *,
				 int, char *, size_t) = {
	[HS_PROBE_ICMP] = open_icmp,
	[HS_PROBE_UDP] = open_udp,
	[HS_PROBE_TCP] = open_tcp,
};

/* A spare that cannot be used: closed, and why kept for its key. */
static void spare_lost(struct hs_trace_mode *m, int k, int f, const char *why)
{
	hs_sock_close(&m->spare[k][f]);
	snprintf(m->spare_err[k][f], sizeof(m->spare_err[k][f]), "%s", why);
}

/* One kind's socket for family index f, with -Q, -M and -I. */
static void open_spare(struct hs_trace_mode *m, int k, int f,
		       const struct hs_wire *w)
{
	struct hs_sock *s = &m->spare[k][f];
	char why[256];

	if (open_kind[k](m->opt, s, f ? AF_INET6 : AF_INET, m->spare_err[k][f],
			 sizeof(m->spare_err[k][f])) < 0)
		return;
	if (hs_wire_apply(w, s->fd, s->family, why, sizeof(why)) < 0 ||
	    (k == HS_PROBE_TCP && !s->raw &&
	     connect_unfit(m->opt, why, sizeof(why)) < 0))
		spare_lost(m, k, f, why);
}

/* The screen's u and t switch the kind of probe while the run goes on
 * (mtr's keys): the sockets of every kind they reach (ICMP, UDP, TCP)
 * open now, while privileges last.  One that cannot be opened is no
 * error: its key says why. */
static void open_spares(struct hs_trace_mode *m, const struct hs_wire *w)
{
	int k, f;

	m->spares_open = true;
	for (k = 0; k < HS_PROBE_KINDS; k++)
		for (f = 0; f < 2; f++)
			m->spare[k][f].fd = m->spare[k][f].icmp_fd = -1;
	for (k = HS_PROBE_ICMP; k <= HS_PROBE_TCP; k++)
		for (f = 0; f < 2; f++)
			if (k != (int)probe_kind(m->opt) &&
			    m->opt->family != (f ? AF_INET : AF_INET6))
				open_spare(m, k, f, w);
}

/* -a: the spares of its family take its address (UDP's -L's port too,
 * though -L keeps a run on UDP); the other family's cannot be used. */
static void bind_spares(struct hs_trace_mode *m, bool src)
{
	int k, f;

	for (k = 0; m->spares_open && k < HS_PROBE_KINDS; k++)
		for (f = 0; f < 2; f++) {
			struct hs_sock *s = &m->spare[k][f];
			char why[256];

			if (s->fd < 0)
				continue;
			if (src && f != fam_index(m->source.family))
				spare_lost(m, k, f, m->sock_err[f]);
			else if (src && hs_sock_bind(s, &m->source,
					(uint16_t)(k == HS_PROBE_UDP ?
						   m->opt->localport : 0),
					why, sizeof(why)) < 0)
				spare_lost(m, k, f, why);
		}
}

/* Both families are opened before privileges go: a target's family is
 * known only after resolving it, which reads files, so comes later.  A
 * mark needs privilege, so -Q, -M and -I are set now too. */
int hs_trace_mode_open(struct hs_trace_mode *m, struct options *o, char *err,
		       size_t errlen)
{
	struct hs_wire w = wire_of(o);
	int f, rc;

	m->opt = o;
	m->sock[0].fd = m->sock[1].fd = -1;
	m->engine.signal_fd = -1;
	if (o->family != AF_INET6)
		open_family(m, 0, AF_INET);
	if (o->family != AF_INET)
		open_family(m, 1, AF_INET6);
	if (check_tcp_connect(m, err, errlen) < 0)
		return EXIT_USAGE;
	for (f = 0; f < 2; f++) {
		if (m->sock[f].fd < 0)
			continue;
		rc = hs_wire_apply(&w, m->sock[f].fd, m->sock[f].family, err,
				   errlen);
		if (rc < 0)
			return rc == -ENODEV ? EXIT_USAGE : 1;
	}
	if (wants_screen(m))
		open_spares(m, &w);
	return 0;
}

int hs_trace_mode_usable(const struct hs_trace_mode *m, char *err,
			 size_t errlen)
{
	int f = m->opt->family == AF_INET6;

	if (!m->opt->sctp || m->sock[0].fd >= 0 || m->sock[1].fd >= 0)
		return 0;
	snprintf(err, errlen, "%s", m->sock_err[f]);
	return -1;
}

static uint16_t random_u16(void)
{
	uint16_t v;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (uint16_t)(getpid() ^ hs_mono_ns());
	return v;
}

/* The hosts: the command line's, then -F's; a bad one refuses the run. */
static int collect_targets(struct hs_trace_mode *m)
{
	int i;

	for (i = 0; i < m->opt->n_hosts; i++)
		if (hs_targets_add(&m->targets, m->opt->hosts[i], m->err,
				   m->errlen) < 0)
			return -1;
	if (m->opt->target_file &&
	    hs_targets_read(&m->targets, m->opt->target_file, m->err,
			    m->errlen) < 0)
		return -1;
	/* a far monitor may have none: it answers tracebacks and STAMP */
	if (m->targets.n == 0 && !(m->monitor && m->opt->traceback_key)) {
		snprintf(m->err, m->errlen, "-F %s: no host in it",
			 m->opt->target_file ? m->opt->target_file : "");
		return -1;
	}
	return 0;
}

/* -a: the family it names is the only one probes can go from.  -L: the
 * port UDP probes go from (1024 and up: no privilege needed). */
static int bind_source(struct hs_trace_mode *m)
{
	bool src = m->opt->src_addr != NULL;
	int f;

	if (src && hs_addr_parse(m->opt->src_addr, &m->source) < 0) {
		snprintf(m->err, m->errlen, "-a/--address: '%s' is not an IP "
			 "address", m->opt->src_addr);
		return -1;
	}
	if (src) {
		f = fam_index(m->source.family);
		hs_sock_close(&m->sock[!f]);
		snprintf(m->sock_err[!f], sizeof(m->sock_err[!f]),
			 "-a/--address: '%s' is not an IPv%c address",
			 m->opt->src_addr, f ? '4' : '6');
	}
	for (f = 0; f < 2; f++)
		if ((src || m->opt->localport) && m->sock[f].fd >= 0 &&
		    hs_sock_bind(&m->sock[f], src ? &m->source : NULL,
				 (uint16_t)m->opt->localport, m->err,
				 m->errlen) < 0)
			return -1;
	bind_spares(m, src);
	return 0;
}

static void fill_info(const struct hs_trace_mode *m, struct hs_trace *t,
		      const char *host)
{
	struct hs_run_info *info = &t->info;
	const struct options *o = m->opt;
	hs_sanitize(m->local_host, info->local_host,
		    sizeof(info->local_host));
	hs_sanitize(host, info->target, sizeof(info->target));
	info->source = m->source;
	info->cycles = o->cycles;
	info->psize = o->psize;
	info->tos = o->tos;
	info->bitpattern = o->bitpattern;
	info->interval = o->interval;
	info->show_ips = o->show_ips;
	info->show_mpls = o->mpls;
	info->wide = o->wide;
	info->mtr_compat = o->mtr_compat;
	info->owners = o->ipinfo >= 0;
	info->owner_field = o->ipinfo < 0 ? 0 : o->ipinfo;
}

/* An address found already (the monitor's own lookups): usable when
 * its family's socket is open. */
static int usable(const struct hs_trace_mode *m, struct hs_trace *t,
		  const struct hs_addr *a)
{
	if (m->sock[fam_index(a->family)].fd >= 0)
		return 0;
	snprintf(t->err, sizeof(t->err), "%s", m->sock_err[fam_index(a->family)]);
	return -1;
}

/* The first address of host whose family has a working socket. */
static int resolve(struct hs_trace_mode *m, struct hs_trace *t,
		   const char *host, struct hs_addr *out)
{
	struct addrinfo hints = { .ai_family = m->opt->family,
				  .ai_socktype = SOCK_RAW };
	struct addrinfo *res, *ai;
	int rc;

	/* an address needs no lookup: thousands of them start at once */
	if (hs_addr_parse(host, out) == 0 &&
	    (m->opt->family == AF_UNSPEC || m->opt->family == out->family))
		return usable(m, t, out);
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0) {
		snprintf(t->err, sizeof(t->err), "cannot resolve '%s': %s",
			 t->info.target, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next)
		if (m->sock[fam_index(ai->ai_family)].fd >= 0 &&
		    hs_addr_from_sockaddr(ai->ai_addr, ai->ai_addrlen,
					  out) == 0)
			break;
	if (!ai)
		snprintf(t->err, sizeof(t->err), "%s",
			 m->sock_err[fam_index(res->ai_family)]);
	freeaddrinfo(res);
	return ai ? 0 : -1;
}

/* This host's address as t's target sees it (for the reverse advice),
 * found when a report needs it. */
static void find_back_addr(const struct hs_trace_mode *m, struct hs_trace *t)
{
	struct hs_addr here = m->source;

	if (t->back_addr[0])
		return;
	if (hs_addr_is_set(&here) || hs_local_addr_for(&t->target, &here) == 0)
		hs_addr_str(&here, t->back_addr);
}

/* Several hosts off the screen: each trace's path is made when the
 * engine begins it and freed when its report is out, so thousands of
 * hosts hold memory only for those under way. */
static bool lazy_paths(const struct hs_trace_mode *m)
{
	return (m->targets.n > 1 || m->monitor) && !wants_screen(m);
}

/* A trace for host; FAILED with its reason when it cannot be traced. */
struct hs_trace *hs_trace_mode_unresolved(struct hs_trace_mode *m,
					  const char *host, const char *why)
{
	struct hs_trace *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	fill_info(m, t, host);
	t->state = HS_TRACE_FAILED;
	snprintf(t->err, sizeof(t->err), "%s", why);
	return t;
}

struct hs_trace *hs_trace_mode_new_trace(struct hs_trace_mode *m,
					 const char *host)
{
	return hs_trace_mode_new_trace_to(m, host, NULL);
}

struct hs_trace *hs_trace_mode_new_trace_to(struct hs_trace_mode *m,
					    const char *host,
					    const struct hs_addr *found)
{
	struct hs_trace *t = calloc(1, sizeof(*t));
	struct hs_addr target;

	if (!t)
		return NULL;
	fill_info(m, t, host);
	if (found)
		target = *found;
	if (found ? usable(m, t, &target) < 0 :
		    resolve(m, t, host, &target) < 0) {
		t->state = HS_TRACE_FAILED;
		return t;
	}
	t->target = target;
	t->probe = probe_kind(m->opt);
	/* connect() probes each have a port of their own */
	t->flow_vary = m->opt->flow_vary ||
		       (m->opt->tcp && !m->sock[fam_index(target.family)].raw);
	t->info.probe_mode =
		hs_sock_mode_name(&m->sock[fam_index(target.family)]);
	t->src = m->source;
	t->info.psize_min = hs_payload_min_size(target.family,
						payload_prefix(m->opt));
	if (target.family == AF_INET6 &&
	    abs(m->opt->psize) < t->info.psize_min) {
		snprintf(t->err, sizeof(t->err), "-s/--psize: %d is below %d, "
			 "the smallest IPv6 probe", abs(m->opt->psize),
			 t->info.psize_min);
		t->state = HS_TRACE_FAILED;
		return t;
	}
	if (lazy_paths(m))
		return t; /* QUEUED */
	t->path = hs_path_new(&target, m->opt->first_ttl, m->opt->max_ttl);
	if (t->path) {
		t->path->probe = t->probe;
		t->path->flow_vary = t->flow_vary;
	}
	if (t->path && m->opt->flows > 1 &&
	    hs_path_add_flows(t->path, m->opt->flows) < 0) {
		hs_path_free(t->path);
		t->path = NULL;
	}
	if (!t->path) {
		free(t);
		return NULL;
	}
	t->state = HS_TRACE_IDLE;
	find_back_addr(m, t);
	return t;
}

static int make_traces(struct hs_trace_mode *m)
{
	size_t i;

	/* the same for every host: asked once */
	gethostname(m->local_host, sizeof(m->local_host) - 1);

	m->traces = calloc(m->targets.n, sizeof(*m->traces));
	if (!m->traces)
		goto oom;
	for (i = 0; i < m->targets.n; i++) {
		m->traces[i] = hs_trace_mode_new_trace(m, m->targets.host[i]);
		if (!m->traces[i])
			goto oom;
		m->n++;
	}
	return 0;
oom:
	snprintf(m->err, m->errlen, "out of memory");
	return -1;
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

/* The kernel lets through only what may answer this run's probes. */
static int filter(const struct hs_trace_mode *m, const struct hs_sock *s,
		  uint16_t ident)
{
	if (s->kind == HS_PROBE_SCTP)
		return hs_sock_filter_sctp(s->fd, s->icmp_fd, s->family,
					   (uint16_t)m->opt->port);
	if (s->kind == HS_PROBE_TCP && s->raw)
		return hs_sock_filter_tcp(s, (uint16_t)m->opt->port);
	if (s->raw)
		return hs_sock_filter_ident(s->fd, s->family, ident);
	return 0;
}

/* A UDP socket's source port, fixed before the first probe: every probe
 * of the run goes from it, and a flow-stable checksum counts it. */
static int udp_source_port(struct hs_trace_mode *m, struct hs_engine_sock *es)
{
	int port = hs_sock_local_port(es->sock);

	if (port < 0) {
		snprintf(m->err, m->errlen, "cannot bind the UDP socket: %s",
			 strerror(-port));
		return -1;
	}
	es->dgram_id = port;
	return 0;
}

/* TCP probes' sockets for family index f: -P's port, -a, -Q and -I. */
static void tcp_init(struct hs_trace_mode *m, int f)
{
	struct hs_wire w = wire_of(m->opt);

	hs_tcp_init(&m->tcp[f], f ? AF_INET6 : AF_INET, (uint16_t)m->opt->port,
		    m->opt->src_addr ? &m->source : NULL, &w);
}

/* A spare made ready as the run's own sockets are: a UDP socket's port
 * fixed, a raw ICMP socket filtered.  Its UDP port, or -1 (0: none). */
static int ready_spare(struct hs_trace_mode *m, int k, int f)
{
	struct hs_sock *s = &m->spare[k][f];
	char why[256];
	int rc;

	if (k == HS_PROBE_UDP) {
		rc = hs_sock_local_port(s);
		snprintf(why, sizeof(why), "cannot bind the UDP socket: %s",
			 strerror(-rc));
	} else {
		rc = filter(m, s, m->engine.ident);
		snprintf(why, sizeof(why), "cannot filter the ICMP socket: %s",
			 strerror(-rc));
	}
	if (rc < 0)
		spare_lost(m, k, f, why);
	return rc;
}

/* The engine's sockets of every kind, for the screen's u and t: the
 * run's own, and the spares that are ready. */
static void setup_kinds(struct hs_trace_mode *m)
{
	struct hs_engine *e = &m->engine;
	int run = (int)probe_kind(m->opt), k, f, port;

	for (k = 0; k < HS_PROBE_KINDS; k++)
		for (f = 0; f < 2; f++) {
			struct hs_engine_kind *ek = &e->kinds[k];

			ek->dgram_id[f] = -1;
			if (k == run) {
				ek->sock[f] = e->fam[f].sock;
				if (k == HS_PROBE_UDP)
					ek->dgram_id[f] = e->fam[f].dgram_id;
			} else if (m->spares_open && m->spare[k][f].fd >= 0 &&
				   (port = ready_spare(m, k, f)) >= 0) {
				ek->sock[f] = &m->spare[k][f];
				if (k == HS_PROBE_UDP)
					ek->dgram_id[f] = port;
				else if (k == HS_PROBE_TCP &&
					 !m->spare[k][f].raw)
					tcp_init(m, f);
			}
			if (k == HS_PROBE_TCP && ek->sock[f] &&
			    !ek->sock[f]->raw) /* connect(): a socket a probe */
				e->tcp[f] = &m->tcp[f];
		}
}

/* The engine's sockets, its table with a random first number, the key
 * of the probes' check, and the identifier the kernel filters by. */
static int setup_engine(struct hs_trace_mode *m)
{
	struct hs_engine *e = &m->engine;
	uint16_t low = hs_engine_low_seq(m->opt);
	int f, rc;

	m->table = calloc(1, sizeof(*m->table));
	if (!m->table) {
		snprintf(m->err, m->errlen, "out of memory");
		return -1;
	}
	/* an off-path host must guess the first number and the identifier,
	 * and the keyed check besides */
	hs_table_init(m->table, (uint16_t)(low + random_u16() % (65536u - low)),
		      low);
	e->opt = m->opt;
	e->table = m->table;
	if (hs_mac_key_new(&e->key) < 0) {
		snprintf(m->err, m->errlen, "cannot start libsodium");
		return -1;
	}
	while (e->ident == 0)
		e->ident = random_u16();
	while (e->flow_csum == 0 || e->flow_csum == 0xffff)
		e->flow_csum = random_u16();
	for (f = 0; f < 2; f++) {
		if (m->sock[f].fd < 0)
			continue;
		e->fam[f].sock = &m->sock[f];
		if (m->sock[f].kind == HS_PROBE_UDP &&
		    (rc = udp_source_port(m, &e->fam[f])) < 0)
			return -1;
		rc = filter(m, &m->sock[f], e->ident);
		if (rc < 0) {
			snprintf(m->err, m->errlen, "cannot filter the ICMP "
				 "socket: %s", strerror(-rc));
			return -1;
		}
		if (m->opt->tcp && !m->sock[f].raw) { /* connect() */
			tcp_init(m, f);
			e->fam[f].tcp = &m->tcp[f];
		}
	}
	setup_kinds(m);
	e->signal_fd = block_signals();
	if (!m->opt->no_dns) {
		e->rdns = hs_rdns_new(m->err, m->errlen);
		if (!e->rdns)
			return -1;
	}
	return 0;
}

/* -z/-y: the owners' source.  After privileges went: --asn-db is a file
 * the user names.  A file that cannot be used is bad input, said before
 * any probe. */
static int open_owners(struct hs_trace_mode *m)
{
	const struct options *o = m->opt;

	/* the screen's 'z' may ask later: ready, but nothing asked yet */
	if (o->ipinfo < 0 && !wants_screen(m))
		return 0;
	m->engine.asn = o->asn_db ? hs_asn_new_db(o->asn_db, m->err,
						  m->errlen) :
			hs_asn_new_dns(o->asn_zone, m->err, m->errlen);
	m->engine.asn_on = o->ipinfo >= 0;
	return m->engine.asn ? 0 : -1;
}

/* Reports: why owners are missing, one line on stderr. */
static void owners_note(struct hs_trace_mode *m)
{
	if (!m->engine.asn_on)
		return;
	hs_asn_give_up(m->engine.asn);
	if (hs_asn_problem(m->engine.asn)[0])
		fprintf(stderr, "hopscope: %s\n",
			hs_asn_problem(m->engine.asn));
}

/* --- views -------------------------------------------------------------- */

static void write_report(struct hs_trace_mode *m, struct hs_trace *t);

static int split_changed(void *arg)
{
	struct hs_trace_mode *m = arg;

	return hs_split_update(&m->split, m->out->fp, m->traces[0]->path,
			       &m->traces[0]->info);
}

static void raw_sent(void *arg, const struct hs_trace *t, int ttl,
		     uint16_t seq)
{
	(void)t;
	hs_raw_sent(&((struct hs_trace_mode *)arg)->raw, ttl, seq);
}

/* The labels the engine kept from the reply of from at ttl (NULL: none
 * kept, a hop already full of routers). */
static const struct hs_mpls *labels_of(const struct hs_trace *t, int ttl,
				       const struct hs_addr *from)
{
	const struct hs_hop *h;
	int i;

	if (ttl < 1 || ttl > t->path->max_ttl)
		return NULL;
	h = &t->path->hops[ttl];
	for (i = 0; i < h->n_all; i++)
		if (hs_addr_equal(&h->resp[i].addr, from))
			return &h->resp[i].mpls;
	return NULL;
}

static void raw_reply(void *arg, const struct hs_trace *t, int ttl,
		      const struct hs_addr *from, int64_t rtt_ns, uint16_t seq)
{
	hs_raw_reply(&((struct hs_trace_mode *)arg)->raw, ttl, from, rtt_ns,
		     seq, labels_of(t, ttl, from));
}

static int raw_changed(void *arg)
{
	struct hs_trace_mode *m = arg;

	return hs_raw_names(&m->raw, m->traces[0]->path);
}

static struct hs_tui_view tui_view(struct hs_trace_mode *m)
{
	struct hs_tui_view v = {
		.traces = m->traces,
		.n = m->n,
		.elapsed_ns = hs_engine_elapsed_ns(&m->engine, hs_mono_ns()),
		.paused = m->engine.paused,
		.owner_problem = m->engine.asn_on ?
				 hs_asn_problem(m->engine.asn) : "",
	};
	int k, f;

	for (k = 0; k < HS_PROBE_KINDS; k++)
		for (f = 0; f < 2; f++)
			v.kind_problem[k][f] = k == HS_PROBE_TCP &&
					       m->tcp_budget_err[0] ?
					       m->tcp_budget_err :
					       m->spare_err[k][f];
	return v;
}

/* 't': each TCP probe has its own socket, so the interval and max TTL
 * of the moment must leave enough (the command line's check, which also
 * raises the open-file limit). */
static void check_tcp_budget(struct hs_trace_mode *m)
{
	m->tcp_budget_err[0] = '\0';
	if (!m->opt->tcp &&
	    hs_tcp_budget(m->opt->max_ttl, m->opt->interval,
			  m->tcp_budget_err, sizeof(m->tcp_budget_err)) >= 0)
		m->tcp_budget_err[0] = '\0';
}

static struct hs_run_request tui_input(void *arg)
{
	struct hs_trace_mode *m = arg;
	struct hs_tui_view v;

	check_tcp_budget(m);
	v = tui_view(m);

	return hs_tui_input(m->tui, &v);
}

static int tui_changed(void *arg)
{
	struct hs_trace_mode *m = arg;
	struct hs_tui_view v = tui_view(m);
	int shown = hs_tui_shown(m->tui);

	/* the engine names one trace's hops as it goes; with several, the
	 * one on the screen */
	if (m->n > 1 && shown >= 0 && m->traces[shown]->path)
		hs_engine_fill_names(&m->engine, m->traces[shown]);
	hs_tui_draw(m->tui, &v);
	return 0;
}

static bool finished(const struct hs_trace *t)
{
	return t->state == HS_TRACE_DONE || t->state == HS_TRACE_FAILED;
}

/* Whether reports go out as traces finish (a line or rows each, told
 * apart by their host) or in the order the hosts were given (text). */
static bool streams(const struct options *o)
{
	return o->output == HS_OUT_JSON || o->output == HS_OUT_CSV;
}

/* Several hosts: JSON Lines and CSV go out as each trace is done; text
 * reports when it and all before it are, to keep the order given. */
static int many_done(void *arg, struct hs_trace *t)
{
	struct hs_trace_mode *m = arg;

	hs_progress_clear(&m->progress); /* drawn again at the next step */

	if (streams(m->opt))
		write_report(m, t);
	while (m->next_out < m->n && finished(m->traces[m->next_out]))
		write_report(m, m->traces[m->next_out++]);
	fflush(m->out->fp);
	return ferror(m->out->fp) ? -1 : 0;
}

/* Where the run is, for the progress line. */
static struct hs_progress_figs progress_figs(const struct hs_trace_mode *m,
					     int64_t now)
{
	struct hs_progress_figs f = { .hosts = (int)m->n, .left_s = -1 };
	double elapsed = hs_engine_elapsed_ns(&m->engine, now) /
			 (double)HS_NS_PER_SEC;
	const struct hs_path *p = m->traces[0]->path;
	uint32_t i;

	for (i = 0; i < m->n; i++) {
		f.total += m->traces[i]->path ? m->opt->cycles : 0;
		f.done += m->traces[i]->cycles_sent;
		f.hosts_done += finished(m->traces[i]);
	}
	/* one host keeps mtr's timing, a cycle each interval; several go
	 * as the rate allows */
	if (m->opt->until_sure) { /* at most: it stops once sure */
		f.left_s = m->opt->max_time > elapsed ?
				   m->opt->max_time - elapsed : 0;
		f.total = f.done + (long)(f.left_s / m->opt->interval) *
					   (long)m->n;
	} else if (m->n == 1) {
		f.left_s = (double)(f.total - f.done) * m->opt->interval;
	} else if (f.done > 0) {
		f.left_s = elapsed * (double)(f.total - f.done) / f.done;
	}
	if (m->n == 1 && p && hs_path_end_ttl(p)) {
		f.dest_known = true;
		f.dest_loss = hs_stat_loss_pct(&p->hops[hs_path_end_ttl(p)].st);
	}
	return f;
}

static int progress_changed(void *arg)
{
	struct hs_trace_mode *m = arg;
	int64_t now = hs_mono_ns();
	struct hs_progress_figs f;

	if (!hs_progress_due(&m->progress, now))
		return 0;
	f = progress_figs(m, now);
	hs_progress_update(&m->progress, &f, now);
	return 0;
}

/* Whole reports printed at the end: a long run shows its progress. */
static bool shows_progress(const struct options *o)
{
	return o->output != HS_OUT_RAW && o->output != HS_OUT_SPLIT;
}

/* The screen is the default on a terminal when no report was asked
 * for, with one host or several. */
static bool wants_screen(const struct hs_trace_mode *m)
{
	const struct options *o = m->opt;

	if (m->monitor || o->stamp_host || o->two_way) /* a report */
		return false;
	return o->curses || (!o->mode_given && !o->output_file &&
			     isatty(STDOUT_FILENO) && isatty(STDIN_FILENO));
}

/* What several hosts cannot have yet: one line, exit 2. */
static int check_many(struct hs_trace_mode *m)
{
	const char *what = NULL;

	if (m->n < 2)
		return 0;
	if (m->opt->output == HS_OUT_SPLIT)
		what = "-p/--split";
	else if (m->opt->output == HS_OUT_RAW)
		what = "-l/--raw";
	else if (m->opt->output == HS_OUT_XML)
		what = "-x/--xml";
	else if (m->opt->output == HS_OUT_HTML)
		what = "--html";
	else if (m->opt->output == HS_OUT_WINMTR)
		what = "--winmtr";
	if (!what)
		return 0;
	snprintf(m->err, m->errlen, "%s shows one host; with several use -r, "
		 "-j (JSON Lines) or -C", what);
	return -1;
}

static int open_screen(struct hs_trace_mode *m)
{
	if (!m->opt->cycles_given)
		m->opt->cycles = INT_MAX; /* until q */
	m->tui = hs_tui_open(m->opt, m->n, m->err, m->errlen);
	if (!m->tui)
		return -1;
	m->obs.changed = tui_changed;
	m->obs.input = tui_input;
	m->obs.input_fd = STDIN_FILENO;
	m->obs.tick_ms = 200;
	return 0;
}

/* --until-sure: a trace needs no more cycles once its diagnosis is
 * sure (hs_diagnosis_sure), or once --max-time has passed. */
static bool until_sure_enough(void *arg, struct hs_trace *t)
{
	struct hs_trace_mode *m = arg;
	struct hs_diagnosis d;
	struct hs_run_info *info = &t->info;

	hs_diagnose(t->path, info->target, NULL, &d);
	info->until_sure = true;
	info->sure = hs_diagnosis_sure(t->path, &d, info->sure_why,
				       sizeof(info->sure_why));
	info->sure_s = (double)(hs_mono_ns() - t->start_ns) / HS_NS_PER_SEC;
	info->cycles = t->cycles_sent;
	return info->sure || info->sure_s >= m->opt->max_time;
}

static int watch(struct hs_trace_mode *m)
{
	struct hs_engine *e = &m->engine;

	e->obs_arg = m;
	e->obs = &m->obs;
	if (m->opt->until_sure)
		m->obs.enough = until_sure_enough;
	if (wants_screen(m))
		return open_screen(m); /* reports after the screen closes */
	hs_progress_start(&m->progress, STDERR_FILENO,
			  shows_progress(m->opt), hs_mono_ns());
	if (m->progress.on)
		m->obs.changed = progress_changed;
	if (m->n > 1) {
		m->obs.done = many_done;
		return 0;
	}
	if (m->opt->output == HS_OUT_SPLIT) {
		hs_split_init(&m->split);
		m->obs.changed = split_changed;
	} else if (m->opt->output == HS_OUT_RAW) {
		hs_raw_init(&m->raw, m->out->fp);
		m->raw.mpls = m->opt->mpls;
		m->obs.sent = raw_sent;
		m->obs.reply = raw_reply;
		m->obs.changed = raw_changed;
	}
	return 0;
}

/* --- writing reports ------------------------------------------------------ */

/* The text report's diagnosis follows it on a terminal; elsewhere it
 * goes to stderr, so that scripts reading mtr's rows see only those.
 * Run as "mtr": none. */
static FILE *notes_stream(const struct hs_trace_mode *m)
{
	if (m->opt->mtr_compat)
		return NULL;
	return isatty(m->out->fd) ? m->out->fp : stderr;
}

/* One trace's whole report in the chosen format (-1 on a write error). */
static int write_whole(struct hs_trace_mode *m, struct hs_trace *t)
{
	const struct hs_format *f = hs_format_for(m->opt->output);
	struct hs_diagnosis diag;
	struct hs_output_ctx ctx = { t->path, &t->info, NULL,
				     m->opt->fields, notes_stream(m) };

	if (!f)
		return 0;
	if (!m->opt->no_diagnosis) {
		find_back_addr(m, t);
		hs_diagnose(t->path, t->info.target, t->back_addr, &diag);
		diag.until_sure = t->info.until_sure;
		diag.sure = t->info.sure;
		diag.sure_s = t->info.sure_s;
		snprintf(diag.sure_why, sizeof(diag.sure_why), "%s",
			 t->info.sure_why);
		ctx.diag = &diag;
	}
	errno = 0;
	return f->write(m->out->fp, &ctx);
}

/* Several hosts: a failed one is said on stderr, in its turn; the text
 * reports are set apart by a blank line, CSV has one header. */
static void write_report(struct hs_trace_mode *m, struct hs_trace *t)
{
	if (t->reported)
		return;
	t->reported = true;
	if (t->state == HS_TRACE_QUEUED) /* interrupted before its turn */
		snprintf(t->err, sizeof(t->err), "%s: not traced (the run "
			 "ended before its turn)", t->info.target);
	if (t->state == HS_TRACE_FAILED || !t->path) {
		fprintf(stderr, "hopscope: %s\n", t->err);
		m->failures++;
		return;
	}
	if (!t->info.end_real_ns) /* interrupted before it was done */
		t->info.end_real_ns = hs_real_ns();
	t->info.interrupted = !finished(t);
	if (t->info.interrupted) /* the cycles run, not those asked */
		t->info.cycles = t->cycles_sent;
	t->info.one_line = true;
	t->info.no_header = m->written > 0 && m->opt->output == HS_OUT_CSV;
	if (m->written > 0 && m->opt->output == HS_OUT_REPORT)
		fputc('\n', m->out->fp);
	m->written++;
	write_whole(m, t);
	if (lazy_paths(m)) { /* nothing reads it again */
		hs_path_free(t->path);
		t->path = NULL;
	}
}

/* What was written (rc: its writer's) goes out whole, or nothing does. */
static int commit_written(struct hs_trace_mode *m, int rc, const char *what)
{
	if (rc < 0) {
		snprintf(m->err, m->errlen, "cannot write the %s: %s", what,
			 strerror(errno ? errno : EIO));
		hs_outfile_abort(m->out);
		return -1;
	}
	return hs_outfile_commit(m->out, m->err, m->errlen);
}

/* One host: the report after the run, as always. */
static int write_single(struct hs_trace_mode *m)
{
	struct hs_trace *t = m->traces[0];

	if (m->opt->output == HS_OUT_SPLIT)
		split_changed(m);
	return commit_written(m, write_whole(m, t), "report");
}

static int finish_many(struct hs_trace_mode *m)
{
	/* interrupted: what was measured of the rest, marked so */
	while (m->next_out < m->n)
		write_report(m, m->traces[m->next_out++]);
	if (hs_outfile_commit(m->out, m->err, m->errlen) < 0)
		return 1;
	if (m->engine.interrupted)
		return EXIT_INTERRUPTED;
	if (m->failures)
		snprintf(m->err, m->errlen, "%d of %u hosts could not be "
			 "traced", m->failures, m->n);
	return m->failures ? 1 : 0;
}

static int run_engine(struct hs_trace_mode *m)
{
	int64_t rate = m->opt->rate ? m->opt->rate :
		       m->n > 1 ? DEFAULT_MANY_RATE : 0;
	uint32_t i;
	int rc;

	if (hs_engine_init(&m->engine, m->traces, m->n, rate, m->err,
			   m->errlen) < 0)
		return -1;
	if ((m->engine.tcp[0] || m->engine.tcp[1]) && m->n > 1)
		m->engine.tcp_cap = hs_tcp_open_cap();
	for (i = 0; i < m->n; i++)
		if (m->traces[i]->path)
			m->traces[i]->info.start_real_ns = hs_real_ns();
	rc = hs_engine_run(&m->engine, m->err, m->errlen);
	hs_progress_clear(&m->progress); /* gone before any report */
	for (i = 0; i < m->n; i++) {
		struct hs_run_info *info = &m->traces[i]->info;

		if (!info->end_real_ns) /* not done: interrupted, or q */
			info->end_real_ns = hs_real_ns();
		info->interrupted = m->engine.interrupted &&
				    !finished(m->traces[i]);
		if (info->interrupted)
			info->cycles = m->traces[i]->cycles_sent;
	}
	return rc;
}

/* Give the terminal back before anything is printed.  True when q
 * ended a run whose figures the user has seen and no file wants them. */
static bool close_screen(struct hs_trace_mode *m)
{
	if (!m->tui)
		return false;
	hs_tui_close(m->tui);
	m->tui = NULL;
	return m->engine.quit && !m->opt->output_file;
}

/* Watch the run and give the terminal back: -1 when it failed (the
 * output abandoned), 1 when q ended it and nothing is to be written, else
 * 0. */
static int watch_and_run(struct hs_trace_mode *m)
{
	int rc;

	if (watch(m) < 0)
		goto fail;
	rc = run_engine(m);
	if (close_screen(m))
		return 1; /* q: a file would still get the figures */
	if (rc < 0)
		goto fail;
	return 0;
fail:
	hs_outfile_abort(m->out);
	return -1;
}

static int run_many(struct hs_trace_mode *m)
{
	int rc = watch_and_run(m);

	if (rc)
		return rc < 0 ? 1 : 0;
	owners_note(m);
	return finish_many(m);
}

/* A STAMP session to host, to run beside the trace (--stamp HOST; the
 * key file read now, after the privileges went).  from_zero: the
 * reflector is hopscope's own, numbering each peer from 0 (--two-way).
 * 0, or the exit status. */
static int open_stamp(struct hs_trace_mode *m, const char *host,
		      bool from_zero)
{
	const struct options *o = m->opt;
	struct hs_keyfile kf;
	struct hs_stamp_key key;
	struct hs_stamp_side_cfg c = {
		.host = host, .port = o->stamp_port,
		.reflector_from_zero = from_zero,
		.family = o->family, .source = &m->source,
		.interval_s = o->interval, .count = (uint32_t)o->cycles,
		.psize = o->psize, .gracetime_s = o->gracetime,
	};
	int rc;

	if (o->traceback_key) {
		if (hs_keyfile_read("--traceback-key", o->traceback_key, &kf,
				    m->err, m->errlen) < 0)
			return EXIT_USAGE;
		key = (struct hs_stamp_key){ kf.stamp, kf.stamp_len };
		c.key = &key;
	}
	rc = hs_stamp_side_open(&m->stamp, &c, m->err, m->errlen);
	if (o->traceback_key)
		hs_keyfile_clear(&kf); /* the session keeps its own copy */
	if (rc)
		return rc;
	m->stamp_on = true;
	hs_stamp_side_attach(&m->stamp, &m->engine);
	return 0;
}

/* After the run: the session's figures into the report, or why there
 * are none (then the run's status is 1, the report written all the
 * same: the far side failed, not the trace). */
static int finish_stamp(struct hs_trace_mode *m, struct hs_trace *t)
{
	if (!m->stamp_on)
		return 0;
	/* --two-way's document carries it beside both reports */
	if (!m->opt->two_way)
		t->info.one_way = &m->stamp.view;
	if (hs_stamp_side_finish(&m->stamp) == 0)
		return 0;
	snprintf(m->err, m->errlen, "%s: %s", m->opt->two_way ?
		 "--two-way: STAMP" : "--stamp", m->stamp.why);
	return -1;
}

static int run_single(struct hs_trace_mode *m)
{
	struct hs_trace *t = m->traces[0];
	char target[HS_ADDRSTRLEN];
	const struct hs_sock *s;
	bool stamp_failed;
	int rc;

	if (t->state == HS_TRACE_FAILED) {
		snprintf(m->err, m->errlen, "%s", t->err);
		hs_outfile_abort(m->out);
		return 1;
	}
	s = &m->sock[fam_index(t->path->target.family)];
	if (m->opt->mpls && !s->raw && !hs_sock_has_icmp(s) &&
	    !s->rfc4884)
		fprintf(stderr, "hopscope: -e/--mpls: this kernel does not "
			"pass ICMP extensions to unprivileged sockets "
			"(IP_RECVERR_RFC4884, Linux 5.9); no labels will be "
			"shown%s\n", probe_kind(m->opt) == HS_PROBE_ICMP ?
			" (raw sockets see them: root or cap_net_raw)" : "");
	/* --two-way: STAMP to the address traced (not the name again: it
	 * may resolve to another), whose far monitor's reflector numbers
	 * each session from 0 */
	if ((m->opt->stamp_host || m->opt->two_way) &&
	    (rc = open_stamp(m, m->opt->two_way ?
			     hs_addr_str(&t->target, target) :
			     m->opt->stamp_host, m->opt->two_way != NULL))) {
		hs_outfile_abort(m->out);
		return rc;
	}
	if (m->before_run)
		m->before_run(m->before_run_arg);
	rc = watch_and_run(m);
	if (rc)
		return rc < 0 ? 1 : 0;
	owners_note(m);
	stamp_failed = finish_stamp(m, t) < 0;
	if (write_single(m) < 0)
		return 1;
	if (m->engine.interrupted)
		return EXIT_INTERRUPTED;
	return stamp_failed ? 1 : 0;
}

/* --- --mda: one path mapped, its diamond printed ------------------------ */

/* Each router's name, from the path's responders by address (every
 * answer is counted there too; a hop keeps HS_MAX_RESPONDERS of them,
 * so a router past those shows its address only). */
static void mda_names(struct hs_trace *t)
{
	int ttl, r, i;

	for (ttl = t->mda->first_ttl; ttl <= t->mda->last_ttl; ttl++) {
		struct hs_mda_hop *h = &t->mda->hops[ttl];
		const struct hs_hop *ph = &t->path->hops[ttl];

		for (r = 0; r < h->n_resp; r++)
			for (i = 0; i < ph->n_all; i++)
				if (hs_addr_equal(&ph->resp[i].addr,
						  &h->responders[r].addr))
					snprintf(h->responders[r].name,
						 sizeof(h->responders[r].name),
						 "%s", ph->resp[i].name);
	}
}

static int write_mda(struct hs_trace_mode *m, struct hs_trace *t)
{
	char ip[HS_ADDRSTRLEN];
	struct hs_mda_view v = { t->mda, t->info.target,
				 hs_addr_str(&t->target, ip),
				 m->opt->udp ? "udp" : "icmp",
				 m->engine.interrupted };
	int rc;

	mda_names(t);
	errno = 0;
	if (m->opt->dot)
		rc = hs_mda_write_dot(m->out->fp, &v);
	else if (m->opt->output == HS_OUT_JSON)
		rc = hs_mda_write_json(m->out->fp, &v);
	else
		rc = hs_mda_write_text(m->out->fp, &v);
	return commit_written(m, rc, "map");
}

/* The engine runs the trace's one cycle, each probe chosen by the map
 * (src/mda/mda.h); the per-hop figures are not shown. */
static int run_mda(struct hs_trace_mode *m)
{
	struct hs_trace *t = m->traces[0];
	int rc;

	if (t->state == HS_TRACE_FAILED) {
		snprintf(m->err, m->errlen, "%s", t->err);
		hs_outfile_abort(m->out);
		return 1;
	}
	t->mda = hs_mda_new(m->opt->first_ttl, m->opt->max_ttl,
			    m->opt->max_unknown);
	if (!t->mda) {
		snprintf(m->err, m->errlen, "out of memory");
		return 1;
	}
	m->opt->cycles = 1;
	rc = watch_and_run(m);
	if (rc)
		return rc < 0 ? 1 : 0;
	if (write_mda(m, t) < 0)
		return 1;
	return m->engine.interrupted ? EXIT_INTERRUPTED : 0;
}

int hs_trace_mode_prepare(struct hs_trace_mode *m, struct hs_outfile *out,
			  char *err, size_t errlen)
{
	m->out = out;
	m->err = err;
	m->errlen = errlen;
	if (collect_targets(m) < 0)
		return EXIT_USAGE;
	if (bind_source(m) < 0) /* not an address, or not one of ours */
		return EXIT_USAGE;
	if (make_traces(m) < 0)
		return 1;
	if (check_many(m) < 0)
		return EXIT_USAGE;
	if (open_owners(m) < 0)
		return m->opt->asn_db ? EXIT_USAGE : 1;
	if (setup_engine(m) < 0)
		return 1;
	return 0;
}

int hs_trace_mode_run(struct hs_trace_mode *m, struct hs_outfile *out,
		      char *err, size_t errlen)
{
	int rc = hs_trace_mode_prepare(m, out, err, errlen);

	if (rc != 0)
		return rc;
	if (m->opt->mda)
		return run_mda(m);
	if (m->n == 1)
		return run_single(m);
	return run_many(m);
}

void hs_trace_mode_free(struct hs_trace_mode *m)
{
	uint32_t i;
	int f, k;

	hs_tui_close(m->tui);
	if (m->stamp_on)
		hs_stamp_side_free(&m->stamp);
	hs_rdns_free(m->engine.rdns);
	hs_asn_free(m->engine.asn);
	hs_engine_free(&m->engine);
	for (f = 0; f < 2; f++) {
		if (m->opt && m->opt->tcp)
			hs_tcp_close_all(&m->tcp[f]);
		hs_sock_close(&m->sock[f]);
		for (k = 0; m->spares_open && k < HS_PROBE_KINDS; k++)
			hs_sock_close(&m->spare[k][f]);
	}
	if (m->engine.signal_fd >= 0)
		close(m->engine.signal_fd);
	for (i = 0; i < m->n; i++) {
		if (m->traces[i]) {
			hs_path_free(m->traces[i]->path);
			hs_mda_free(m->traces[i]->mda);
		}
		free(m->traces[i]);
	}
	free(m->traces);
	free(m->table);
	hs_targets_free(&m->targets);
}
