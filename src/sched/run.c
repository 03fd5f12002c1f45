#include "sched/run.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "core/clock.h"
#include "probe/mac.h"
#include "probe/udp.h"
#include "probe/unreach.h"
#include "sched/sched.h"

#define MAX_POLL 20
/* sends in a row that a fresh ICMP error may fail before a probe waits
 * for the next cycle */
#define SEND_TRIES 64
/* messages read in one go: a flood cannot hold the loop */
#define READ_BATCH 4096
#define DNS_FINISH_NS (1000 * HS_NS_PER_MS) /* wait for names at the end */

static size_t payload_len(const struct hs_run *r)
{
	size_t ip = r->sock->family == AF_INET6 ? HS_IPV6_HDR_LEN :
						  HS_IPV4_HDR_LEN;
	size_t total = (size_t)r->opt->psize;
	size_t l4 = r->sock->kind == HS_PROBE_UDP ? HS_UDP_HDR_LEN :
						    HS_ICMP_HDR_LEN;

	return total > ip + l4 ? total - ip - l4 : 0;
}

/* The probe's bytes: an echo request, or a UDP probe's payload, each
 * with the keyed check of its sequence number and TTL in front. */
static size_t build_probe(struct hs_run *r, uint16_t seq, int ttl)
{
	size_t len;

	if (r->sock->kind == HS_PROBE_UDP) {
		len = hs_udp_build_payload(r->packet, sizeof(r->packet),
					   payload_len(r));
		hs_mac_sign(&r->key, seq, ttl, r->packet, len);
		return len;
	}
	len = hs_icmp_build_echo(r->packet, sizeof(r->packet),
				 r->sock->family, r->ident, seq,
				 payload_len(r));
	hs_mac_sign_echo(&r->key, r->sock->family, seq, ttl, r->packet, len);
	return len;
}

static int read_replies(struct hs_run *r);

/* 0, or a negative errno when nothing left. */
static int send_packet(struct hs_run *r, uint16_t seq, int ttl,
		       int64_t *sent)
{
	/* a TCP probe is a connect(), with no bytes of ours; a UDP probe's
	 * destination port is its sequence number */
	if (r->tcp)
		return hs_tcp_send(r->tcp, &r->path->target, seq, ttl, sent);
	return hs_sock_send(r->sock, &r->path->target, seq, ttl, r->packet,
			    build_probe(r, seq, ttl), sent);
}

/*
 * With IP_RECVERR an ICMP error queued for an earlier probe fails the
 * next send, which then sends nothing.  So the error queue is read first
 * (those are answers, and count), and again whenever a send fails while
 * errors were waiting.  A flood of errors may keep a probe from leaving
 * (-EAGAIN), but never turns it into a loss or ends the run.
 */
static int send_through_errors(struct hs_run *r, uint16_t seq, int ttl,
			       int64_t *sent)
{
	int tries, e;

	if (r->tcp || r->sock->raw) /* no shared error queue */
		return send_packet(r, seq, ttl, sent);
	read_replies(r);
	for (tries = 0; tries < SEND_TRIES; tries++) {
		e = send_packet(r, seq, ttl, sent);
		if (e == 0 || read_replies(r) == 0)
			return e; /* sent, or a failure of our own */
	}
	return -EAGAIN;
}

/* Each probe is stamped just before it leaves, not once per cycle: a
 * cycle of 30 sends takes long enough to show in far hops' RTTs.  A probe
 * that did not leave is neither sent nor lost. */
static int send_probe(struct hs_run *r, int ttl)
{
	uint16_t seq = r->table->next_seq;
	int64_t sent;
	int evicted, e;

	e = send_through_errors(r, seq, ttl, &sent);
	if (e < 0)
		return e;
	hs_table_add(r->table, ttl, sent, &evicted);
	if (evicted)
		hs_path_lost(r->path, evicted);
	hs_path_sent(r->path, ttl);
	if (r->obs && r->obs->sent)
		r->obs->sent(r->obs_arg, ttl, seq);
	return 0;
}

static int send_cycle(struct hs_run *r, char *err, size_t errlen)
{
	int hi = hs_sched_last_ttl(r->path, r->cycles_sent,
				   r->opt->max_unknown);
	int ttl, failed = 0, last_err = 0;

	for (ttl = r->path->first_ttl; ttl <= hi; ttl++) {
		int e = send_probe(r, ttl);

		/* errors kept arriving: this probe waits for the next cycle;
		 * only failures of our own can end the run */
		if (e < 0 && e != -EAGAIN) {
			failed++;
			last_err = e;
		}
	}
	r->cycles_sent++;
	r->last_send_ns = hs_mono_ns();
	if (r->dgram_id < 0 && !r->sock->raw)
		r->dgram_id = hs_sock_dgram_id(r->sock);
	if (failed && failed == hi - r->path->first_ttl + 1) {
		snprintf(err, errlen, "cannot send probes to %s: %s",
			 r->opt->host, strerror(-last_err));
		return -1;
	}
	return 0;
}

static bool ours(const struct hs_run *r, const struct hs_reply *rep)
{
	const struct hs_addr *tgt = &r->path->target;

	/* UDP errors reach only the socket whose ports they quote */
	if (r->sock->raw && rep->id != r->ident)
		return false;
	if (!r->sock->raw && r->sock->kind == HS_PROBE_ICMP &&
	    r->dgram_id >= 0 && rep->id != r->dgram_id)
		return false;
	if (rep->kind == HS_REPLY_ECHO)
		return hs_addr_equal(&r->rx.from, tgt);
	return hs_addr_equal(&rep->quoted_dst, tgt);
}

/* The answer carries the check of the probe in flight under its number,
 * at that probe's TTL (when the answer holds the payload at all). */
static bool authentic(const struct hs_run *r, const struct hs_reply *rep)
{
	const struct hs_probe *probe = &r->table->slot[rep->seq];

	if (r->tcp)
		return true; /* no payload: the kernel matched the socket */
	return hs_mac_ok(&r->key, rep->seq, probe->ttl, payload_len(r),
			 rep->data, rep->data_len, rep->kind == HS_REPLY_ECHO);
}

/* What the answer says about the path.  A UDP probe's port unreachable
 * from the target is how the target answers; any other unreachable
 * ends the path at the hop that sent it. */
static enum hs_answer answer_kind(const struct hs_run *r,
				  const struct hs_reply *rep)
{
	switch (rep->kind) {
	case HS_REPLY_ECHO:
		return HS_ANSWER_REACHED;
	case HS_REPLY_UNREACHABLE:
		if (r->sock->kind == HS_PROBE_UDP &&
		    hs_addr_equal(&r->rx.from, &r->path->target) &&
		    hs_unreach_is_port(r->path->target.family, rep->code))
			return HS_ANSWER_REACHED;
		return HS_ANSWER_REFUSED;
	case HS_REPLY_TIME_EXCEEDED:
	case HS_REPLY_TOO_BIG: /* counted apart: count_too_big */
		break;
	}
	return HS_ANSWER_TRANSIT;
}

/* A probe leaves the table: a TCP probe's socket goes with it. */
static void retire(struct hs_run *r, uint16_t seq)
{
	if (r->tcp)
		hs_tcp_close(r->tcp, seq);
}

/* Count the answer in r->rx to probe rep->seq, if it is still waiting. */
static void count_reply(struct hs_run *r, const struct hs_reply *rep,
			int64_t now)
{
	struct hs_probe probe;
	struct hs_responder *from;
	int64_t rtt;
	double ms;

	if (!hs_table_take(r->table, rep->seq, &probe))
		return;
	/* a TCP handshake's time, as the kernel measured it, is exact */
	rtt = r->rx.kernel_rtt_ns > 0 ?
		      r->rx.kernel_rtt_ns :
		      hs_rtt_ns(probe.sent_ns, now, hs_real_ns(),
				r->rx.kernel_real_ns);
	ms = (double)rtt / HS_NS_PER_MS;
	/* a late answer: slow, not lost */
	if (probe.state == HS_PROBE_LATE)
		from = hs_path_late_answer(r->path, probe.ttl, probe.mark,
					   &r->rx.from, ms, answer_kind(r, rep),
					   rep->code);
	else
		from = hs_path_answer(r->path, probe.ttl, &r->rx.from, ms,
				      answer_kind(r, rep), rep->code);
	if (from)
		from->mpls = rep->mpls; /* the labels of its latest reply */
	/* replies from past the end (first cycle) are not hops */
	if (r->obs && r->obs->reply &&
	    (!hs_path_end_ttl(r->path) ||
	     probe.ttl <= hs_path_end_ttl(r->path)))
		r->obs->reply(r->obs_arg, probe.ttl, &r->rx.from, rtt,
			      rep->seq);
}

/* The probe was too big for a link on the way: not an answer, not a
 * loss; the kernel fragments the next probes to the MTU it learnt. */
static void count_too_big(struct hs_run *r, const struct hs_reply *rep)
{
	struct hs_probe probe;

	if (!hs_table_take(r->table, rep->seq, &probe))
		return;
	/* past its timeout the probe was counted lost: an error that late
	 * (never seen from a real router) leaves the count consistent */
	if (probe.state == HS_PROBE_LATE)
		return;
	hs_path_too_big(r->path, probe.ttl, &r->rx.from, rep->mtu);
}

static void handle_message(struct hs_run *r)
{
	struct hs_reply rep;
	int64_t now = hs_mono_ns();

	if (hs_icmp_decode(&r->rx.meta, r->rx.buf, r->rx.len, &rep) < 0)
		return;
	if (!ours(r, &rep) || !authentic(r, &rep))
		return;
	if (rep.kind == HS_REPLY_TOO_BIG)
		count_too_big(r, &rep);
	else
		count_reply(r, &rep, now);
}

/* TCP probes: each flagged socket holds its own probe's answer. */
static void read_tcp_answers(struct hs_run *r, const struct pollfd *fds,
			     const uint16_t *seqs, int n)
{
	struct hs_reply rep;
	int i;

	for (i = 0; i < n; i++) {
		int64_t now = hs_mono_ns();
		int got;

		if (!fds[i].revents)
			continue;
		got = hs_tcp_read(r->tcp, seqs[i], &r->path->target, &r->rx,
				  &rep);
		if (got > 0)
			count_reply(r, &rep, now);
		if (got != 0) /* the socket is done; unanswered, it times out */
			retire(r, seqs[i]);
	}
}

/* Read every waiting message; returns how many came from the error
 * queue (-ENOMSG: an error that is not an ICMP message). */
static int read_replies(struct hs_run *r)
{
	int n, errors = 0, i;

	for (i = 0; i < READ_BATCH && (n = hs_sock_recv(r->sock, &r->rx)) != 0;
	     i++) {
		if (n == -ENOMSG || (n > 0 && r->rx.meta.from_errqueue))
			errors++;
		if (n > 0)
			handle_message(r);
		else if (n != -ENOMSG && n != -EINTR)
			break;
	}
	return errors;
}

/* A TCP probe's wait ends when the kernel would resend its SYN. */
static int64_t probe_timeout_ns(const struct hs_run *r)
{
	int64_t t = hs_sched_timeout_ns(r->path, r->opt->timeout);

	return r->tcp && t > HS_TCP_MAX_WAIT_NS ? HS_TCP_MAX_WAIT_NS : t;
}

/* How long a timed-out probe's record is kept for a late answer.  A TCP
 * probe has none: its socket closes when it times out. */
static int64_t late_window_ns(const struct hs_run *r)
{
	return r->tcp ? 0 : hs_sched_late_window_ns(probe_timeout_ns(r));
}

/* A probe past its timeout counts as lost, and stays late (its answer
 * may still come) until its late window closes. */
static void expire_probes(struct hs_run *r, int64_t now)
{
	int64_t timeout = probe_timeout_ns(r), window = late_window_ns(r);
	struct hs_probe probe;
	uint16_t seq;

	while (hs_table_oldest(r->table, &seq) &&
	       now - r->table->slot[seq].sent_ns >= timeout) {
		uint32_t mark = hs_path_lost(r->path, r->table->slot[seq].ttl);

		if (window > 0) {
			hs_table_expire(r->table, seq, mark);
			continue;
		}
		hs_table_take(r->table, seq, &probe);
		retire(r, seq);
	}
	while (hs_table_oldest_late(r->table, &seq) &&
	       now - r->table->slot[seq].sent_ns >= window)
		hs_table_forget(r->table, seq);
}

static int64_t next_cycle_ns(const struct hs_run *r)
{
	return r->start_ns +
	       (int64_t)(r->cycles_sent * r->opt->interval * HS_NS_PER_SEC);
}

static bool all_sent(const struct hs_run *r)
{
	return r->cycles_sent >= r->opt->cycles;
}

static bool due(const struct hs_run *r, int64_t now)
{
	return !r->paused && !all_sent(r) && now >= next_cycle_ns(r);
}

/* Forget every figure and every probe in flight (the screen's 'r'). */
static void reset(struct hs_run *r)
{
	hs_path_reset_stats(r->path);
	if (r->tcp)
		hs_tcp_close_all(r->tcp);
	hs_table_init(r->table, r->table->next_seq, r->table->low_seq);
}

static void obey(struct hs_run *r, enum hs_run_command cmd)
{
	switch (cmd) {
	case HS_CMD_QUIT:
		r->quit = true;
		break;
	case HS_CMD_PAUSE:
		if (!r->paused)
			r->pause_began_ns = hs_mono_ns();
		r->paused = true;
		break;
	case HS_CMD_RESUME:
		if (r->paused) { /* the next cycle is due now, not in a burst */
			r->start_ns = hs_mono_ns() -
				      (int64_t)(r->cycles_sent *
						r->opt->interval * HS_NS_PER_SEC);
			r->paused_ns += hs_mono_ns() - r->pause_began_ns;
		}
		r->paused = false;
		break;
	case HS_CMD_INPUT_ENDED:
		r->input_ended = true;
		break;
	case HS_CMD_RESET:
		reset(r);
		break;
	case HS_CMD_NONE:
		break;
	}
}

/* A late answer is expected only at a hop that has answered before: a
 * silent hop's probes do not hold up the end of a run. */
static bool answer_possible(const struct hs_probe *probe, const void *arg)
{
	const struct hs_path *path = arg;

	return path->hops[probe->ttl].st.recv > 0;
}

/* The run waits (within the grace time) for probes in flight and for
 * late answers still possible, so that no probe is counted lost while
 * its answer may yet come. */
static bool finished(const struct hs_run *r, int64_t now)
{
	return all_sent(r) &&
	       ((hs_table_in_flight(r->table) == 0 &&
		 !hs_table_any_late(r->table, answer_possible, r->path)) ||
		now - r->last_send_ns >=
			(int64_t)(r->opt->gracetime * HS_NS_PER_SEC));
}

/* When the loop must wake up next, in ms from now (-1: never). */
static int wake_ms(struct hs_run *r, int64_t now)
{
	int64_t next = INT64_MAX;
	uint16_t seq;
	int dns;

	if (r->paused)
		next = now + 60 * HS_NS_PER_SEC;
	else if (!all_sent(r))
		next = next_cycle_ns(r);
	else
		next = r->last_send_ns +
		       (int64_t)(r->opt->gracetime * HS_NS_PER_SEC);
	if (hs_table_oldest(r->table, &seq)) {
		int64_t expiry = r->table->slot[seq].sent_ns +
				 probe_timeout_ns(r);

		if (expiry < next)
			next = expiry;
	}
	if (hs_table_oldest_late(r->table, &seq)) {
		int64_t closes = r->table->slot[seq].sent_ns +
				 late_window_ns(r);

		if (closes < next)
			next = closes;
	}
	next = next <= now ? 0 : (next - now + HS_NS_PER_MS - 1) / HS_NS_PER_MS;
	if (r->rdns) {
		dns = hs_rdns_timeout_ms(r->rdns);
		if (dns >= 0 && dns < next)
			next = dns;
	}
	if (r->obs && r->obs->input && r->obs->tick_ms < next)
		next = r->obs->tick_ms;
	return next > 60000 ? 60000 : (int)next;
}

static void drain_signal(struct hs_run *r)
{
	struct signalfd_siginfo si;

	if (read(r->signal_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		r->interrupted = true;
}

static int wait_events(struct hs_run *r, int timeout_ms)
{
	static struct pollfd fds[MAX_POLL + HS_TCP_MAX_OPEN];
	static uint16_t tcp_seqs[HS_TCP_MAX_OPEN];
	int n = 0, dns_first = 0, dns_n = 0, sig = -1, in = -1, tcp_n = 0;

	/* TCP probes have no shared socket: poll ignores a negative fd */
	fds[n++] = (struct pollfd){ .fd = r->tcp ? -1 : r->sock->fd,
				    .events = POLLIN };
	if (r->signal_fd >= 0) {
		sig = n;
		fds[n++] = (struct pollfd){ .fd = r->signal_fd,
					    .events = POLLIN };
	}
	if (r->obs && r->obs->input && !r->input_ended) {
		in = n;
		fds[n++] = (struct pollfd){ .fd = r->obs->input_fd,
					    .events = POLLIN };
	}
	if (r->rdns) {
		dns_first = n;
		dns_n = hs_rdns_pollfds(r->rdns, fds + n, MAX_POLL - n);
		n += dns_n;
	}
	if (r->tcp) {
		tcp_n = hs_tcp_pollfds(r->tcp, fds + n, tcp_seqs,
				       HS_TCP_MAX_OPEN);
		n += tcp_n;
	}
	if (poll(fds, (nfds_t)n, timeout_ms) < 0)
		return errno == EINTR ? 0 : -errno;
	if (fds[0].revents)
		read_replies(r);
	if (sig >= 0 && fds[sig].revents)
		drain_signal(r);
	if (in >= 0 && fds[in].revents)
		obey(r, r->obs->input(r->obs_arg));
	if (r->rdns)
		hs_rdns_process(r->rdns, fds + dns_first, dns_n);
	if (tcp_n)
		read_tcp_answers(r, fds + n - tcp_n, tcp_seqs, tcp_n);
	return 0;
}

void hs_run_fill_names(struct hs_run *r)
{
	int t, i, last = hs_path_last_hop(r->path);

	if (!r->rdns)
		return;
	for (t = r->path->first_ttl; t <= last; t++) {
		struct hs_hop *h = &r->path->hops[t];

		for (i = 0; i < h->n_resp; i++) {
			const char *name;

			if (h->resp[i].name[0])
				continue;
			name = hs_rdns_name(r->rdns, &h->resp[i].addr);
			if (name)
				snprintf(h->resp[i].name,
					 sizeof(h->resp[i].name), "%s", name);
		}
	}
}

/* Give outstanding name lookups a moment so the report shows names. */
static void finish_names(struct hs_run *r)
{
	int64_t until = hs_mono_ns() + DNS_FINISH_NS;

	hs_run_fill_names(r);
	while (r->rdns && !r->interrupted && !r->quit &&
	       hs_rdns_pending(r->rdns) &&
	       hs_mono_ns() < until) {
		int ms = hs_rdns_timeout_ms(r->rdns);

		if (ms < 0 || ms > 100)
			ms = 100;
		wait_events(r, ms);
		hs_run_fill_names(r);
	}
}

int64_t hs_run_elapsed_ns(const struct hs_run *r, int64_t now)
{
	int64_t paused = r->paused_ns;

	if (r->paused)
		paused += now - r->pause_began_ns;
	return now - r->begin_ns - paused;
}

int hs_run_loop(struct hs_run *r, char *err, size_t errlen)
{
	r->start_ns = r->begin_ns = hs_mono_ns();
	r->dgram_id = -1;
	while (!r->interrupted && !r->quit) {
		int64_t now = hs_mono_ns();
		int e;

		if (due(r, now) && send_cycle(r, err, errlen) < 0)
			return -1;
		expire_probes(r, now);
		hs_run_fill_names(r);
		if (r->obs && r->obs->changed &&
		    r->obs->changed(r->obs_arg) < 0) {
			snprintf(err, errlen, "cannot write output: %s",
				 strerror(errno));
			return -1;
		}
		if (finished(r, now))
			break;
		e = wait_events(r, wake_ms(r, now));
		if (e < 0) {
			snprintf(err, errlen, "poll: %s", strerror(-e));
			return -1;
		}
	}
	finish_names(r);
	if (r->tcp)
		hs_tcp_close_all(r->tcp);
	return 0;
}
