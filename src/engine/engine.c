#include "engine/engine.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sodium.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "core/clock.h"
#include "engine/due.h"
#include "mda/mda.h"
#include "probe/flow.h"
#include "probe/payload.h"
#include "probe/sctp.h"
#include "probe/tcp.h"
#include "probe/udp.h"
#include "probe/unreach.h"
#include "sched/sched.h"
#include "stats/ratelimit.h"

#define MAX_POLL 24
/* sends in a row that a fresh ICMP error may fail before a probe waits
 * for the next cycle */
#define SEND_TRIES 64
/* messages read in one go: a flood cannot hold the loop */
#define READ_BATCH 4096
#define DNS_FINISH_NS (1000 * HS_NS_PER_MS) /* wait for names at the end */
/* queued traces under way at once, at most: each holds its path (about
 * 8 KB for 30 hops) until its report is out */
#define MAX_ACTIVE 4096
#define MIN_ACTIVE 16

static struct hs_engine_sock *fam_of(struct hs_engine *e, int family)
{
	return &e->fam[family == AF_INET6];
}

static struct hs_engine_sock *fam_for(struct hs_engine *e,
				      const struct hs_trace *t)
{
	return fam_of(e, t->target.family);
}

/* Flow-stable probes (probe/flow.h): ICMP and UDP, unless --flow-vary. */
static bool flow_stable(const struct hs_engine *e)
{
	return !e->opt->flow_vary && !e->opt->tcp && !e->opt->sctp;
}

/* Raw TCP probes (net/tcpraw.h): SYNs of our own from held ports,
 * flow-stable; without privilege each TCP probe is a connect() (es->tcp). */
static bool raw_tcp(const struct hs_sock *s)
{
	return s->kind == HS_PROBE_TCP && s->raw;
}

/* A raw TCP probe's source port: its flow's, or with --flow-vary the
 * held ports in turn, a new one each probe. */
static uint16_t tcp_sport(const struct hs_engine *e, const struct hs_sock *s,
			  uint16_t seq, int flow)
{
	return s->port[(e->opt->flow_vary ? seq : (unsigned)flow) %
		       (unsigned)s->n_ports];
}

/* TCP probes by connect(), whose kernel resends an unanswered SYN. */
static bool tcp_connect(const struct hs_engine *e, const struct hs_trace *t)
{
	return e->fam[t->target.family == AF_INET6].tcp != NULL;
}

/* UDP probes to one port carry their number in front of their payload
 * (probe/payload.h): flow-stable ones, and -u -P's with --flow-vary. */
static bool seq_in_payload(const struct hs_engine *e)
{
	return e->opt->udp && (flow_stable(e) || e->opt->port_given);
}

/* Flows probed side by side (--flows), 1 without. */
static int n_flows(const struct hs_engine *e)
{
	return e->opt->flows > 1 ? e->opt->flows : 1;
}

/* A UDP probe's destination port: -P's, or traceroute's first and up,
 * one for each flow, or with --flow-vary alone its sequence number. */
static uint16_t udp_port(const struct hs_engine *e, uint16_t seq, int flow)
{
	if (!seq_in_payload(e))
		return seq;
	if (e->opt->port_given)
		return (uint16_t)e->opt->port;
	return (uint16_t)(HS_UDP_FIRST_PORT + flow);
}

/* Flows a run may use: --flows's, or every one --mda may choose. */
static int flows_used(const struct hs_engine *e)
{
	return e->opt->mda ? HS_MDA_MAX_FLOWS : n_flows(e);
}

/* Whether port is one a flow's probes go to. */
static bool flow_port(const struct hs_engine *e, uint16_t port)
{
	return port >= udp_port(e, 0, 0) &&
	       port - udp_port(e, 0, 0) < (e->opt->port_given ? 1 :
							 flows_used(e));
}

/* A flow's echo requests' checksum: the run's, one more each flow
 * (never 0 nor 0xffff). */
static uint16_t icmp_flow_csum(const struct hs_engine *e, int flow)
{
	return (uint16_t)((e->flow_csum - 1u + (unsigned)flow) % 0xfffeu + 1);
}

/* Payload bytes in front of the keyed check. */
static size_t prefix_len(const struct hs_engine *e, const struct hs_sock *s)
{
	return hs_payload_prefix(s->kind == HS_PROBE_UDP, flow_stable(e),
				 e->opt->port_given);
}

/* Payload bytes of a probe of size bytes that the keyed check covers
 * (after the prefix). */
static size_t checked_len(const struct hs_engine *e, const struct hs_sock *s,
			  int size)
{
	size_t n = hs_payload_len(s->family, s->kind == HS_PROBE_UDP, size);
	size_t pre = prefix_len(e, s);

	return n > pre ? n - pre : 0;
}

/* An SCTP INIT from port seq, its Initiate Tag the keyed check, as big
 * as the cycle's size asks (the kernel adds the IP header); never below
 * the smallest INIT, whatever the screen's 's' was given. */
static size_t build_sctp(struct hs_engine *e, const struct hs_sock *s,
			 uint16_t seq, int ttl, int size)
{
	size_t ip = s->family == AF_INET6 ? HS_IPV6_HDR_LEN : HS_IPV4_HDR_LEN;
	size_t total = size > 0 ? (size_t)size : 0; /* the builder's least */

	return hs_sctp_build_init(e->packet, sizeof(e->packet), seq,
				  (uint16_t)e->opt->port,
				  hs_sctp_tag(&e->key, seq, ttl),
				  total > ip ? total - ip : 0);
}

/* A SYN named by its sequence number (the number and its keyed check).
 * IPv4's checksum counts the source the kernel routes from (found when
 * the trace began); IPv6's the kernel computes. */
static size_t build_syn(struct hs_engine *e, const struct hs_sock *s,
			uint16_t seq, int ttl, int flow,
			const struct hs_trace *t)
{
	return hs_syn_build(e->packet, sizeof(e->packet), &t->src, &t->target,
			    tcp_sport(e, s, seq, flow), (uint16_t)e->opt->port,
			    hs_syn_isn(&e->key, seq, ttl));
}

/* A UDP probe's payload: the number (one port) and the flow's word in
 * front, then the keyed check, filled as -B says.  Flow-stable, the word
 * makes the checksum name the probe. */
static size_t build_udp(struct hs_engine *e, const struct hs_engine_sock *es,
			uint16_t seq, int ttl, int flow,
			const struct hs_trace *t)
{
	size_t n = hs_payload_len(es->sock->family, true, t->cycle_psize);
	size_t pre = prefix_len(e, es->sock), len;
	struct hs_udp_flow f = { .src = t->src, .dst = t->target,
				 .sport = (uint16_t)es->dgram_id,
				 .dport = udp_port(e, seq, flow) };

	len = hs_udp_build_payload(e->packet, sizeof(e->packet), n,
				   t->cycle_pattern);
	if (len < pre) /* the size is never below the smallest: no room */
		return len;
	if (seq_in_payload(e))
		hs_payload_put_seq(e->packet, seq);
	hs_mac_sign(&e->key, seq, ttl, e->packet + pre, len - pre);
	if (flow_stable(e))
		hs_flow_fix_udp(e->packet, len, HS_PAYLOAD_SEQ_LEN, &f,
				hs_flow_udp_csum(seq));
	return len;
}

/* The probe's bytes: an echo request with the keyed check of its
 * sequence number and TTL in front of its payload (behind the flow's
 * word when flow-stable), filled as -B says; a UDP probe's payload; or
 * an SCTP INIT. */
static size_t build_probe(struct hs_engine *e, const struct hs_engine_sock *es,
			  uint16_t seq, int ttl, int flow,
			  const struct hs_trace *t)
{
	const struct hs_sock *s = es->sock;
	size_t n = hs_payload_len(s->family, false, t->cycle_psize);
	size_t pre = prefix_len(e, s), len;

	if (s->kind == HS_PROBE_SCTP)
		return build_sctp(e, s, seq, ttl, t->cycle_psize);
	if (raw_tcp(s))
		return build_syn(e, s, seq, ttl, flow, t);
	if (s->kind == HS_PROBE_UDP)
		return build_udp(e, es, seq, ttl, flow, t);
	len = hs_icmp_build_echo(e->packet, sizeof(e->packet), s->family,
				 e->ident, seq, n);
	if (len && t->cycle_pattern >= 0)
		hs_payload_fill(e->packet + HS_ICMP_HDR_LEN,
				len - HS_ICMP_HDR_LEN, t->cycle_pattern);
	if (!flow_stable(e) || len < HS_ICMP_HDR_LEN + pre) {
		hs_mac_sign_echo(&e->key, s->family, seq, ttl, e->packet, len);
		return len;
	}
	hs_mac_sign(&e->key, seq, ttl, e->packet + HS_ICMP_HDR_LEN + pre,
		    len - HS_ICMP_HDR_LEN - pre);
	/* the kernel sets a datagram socket's identifier and an ICMPv6
	 * source: constants, so every probe's checksum stays equal */
	hs_flow_fix_echo(e->packet, len, &t->src, &t->target,
			 icmp_flow_csum(e, flow));
	return len;
}

static int read_replies(struct hs_engine *e, struct hs_engine_sock *es);

/* 0, or a negative errno when nothing left. */
static int send_packet(struct hs_engine *e, const struct hs_trace *t,
		       uint16_t seq, int ttl, int flow, int64_t *sent)
{
	struct hs_engine_sock *es = fam_for(e, t);

	/* a TCP probe is a connect(), with no bytes of ours */
	if (es->tcp)
		return hs_tcp_send(es->tcp, &t->path->target, seq, ttl, sent);
	return hs_sock_send(es->sock, &t->path->target,
			    udp_port(e, seq, flow), ttl, e->packet,
			    build_probe(e, es, seq, ttl, flow, t), sent);
}

/*
 * With IP_RECVERR an ICMP error queued for an earlier probe fails the
 * next send, which then sends nothing.  So the error queue is read first
 * (those are answers, and count), and again whenever a send fails while
 * errors were waiting.  A flood of errors may keep a probe from leaving
 * (-EAGAIN), but never turns it into a loss or ends the run.
 */
static int send_through_errors(struct hs_engine *e, const struct hs_trace *t,
			       uint16_t seq, int ttl, int flow, int64_t *sent)
{
	struct hs_engine_sock *es = fam_for(e, t);
	int tries, rc;

	/* no shared error queue */
	if (es->tcp || es->sock->raw || hs_sock_has_icmp(es->sock))
		return send_packet(e, t, seq, ttl, flow, sent);
	read_replies(e, es);
	for (tries = 0; tries < SEND_TRIES; tries++) {
		rc = send_packet(e, t, seq, ttl, flow, sent);
		if (rc == 0 || read_replies(e, es) == 0)
			return rc; /* sent, or a failure of our own */
	}
	return -EAGAIN;
}

/* A probe leaves the table for good: a TCP probe's socket goes with it. */
static void retire(struct hs_engine *e, const struct hs_trace *t,
		   uint16_t seq)
{
	struct hs_engine_sock *es = fam_for(e, t);

	if (es->tcp)
		hs_tcp_close(es->tcp, seq);
}

/* Tell the observer what became of a probe of t. */
static void tell_outcome(struct hs_engine *e, const struct hs_trace *t,
			 enum hs_outcome_kind kind, int ttl, int64_t sent_ns,
			 const struct hs_addr *from, double rtt_ms, int flow)
{
	struct hs_outcome o = { kind, ttl, sent_ns, from, rtt_ms, flow };

	if (e->obs && e->obs->outcome)
		e->obs->outcome(e->obs_arg, t, &o);
}

/* What the slot held is gone: the trace that sent it counts that. */
static void forgotten(struct hs_engine *e, const struct hs_probe *old)
{
	struct hs_trace *o;

	if (old->state == HS_PROBE_FREE || old->trace >= e->n_traces)
		return;
	o = e->traces[old->trace];
	if (hs_trace_finished(o))
		return;
	if (old->state == HS_PROBE_WAITING) {
		o->waiting--;
		hs_path_at(o->path, old->sent_ns);
		hs_path_lost(o->path, old->ttl);
		if (hs_path_flow(o->path, old->flow))
			hs_path_lost(hs_path_flow(o->path, old->flow), old->ttl);
		tell_outcome(e, o, HS_OUTCOME_LOST, old->ttl, old->sent_ns,
			     NULL, 0, old->flow);
	} else if (old->awaited) {
		o->awaited--;
	}
}

/* Each probe is stamped just before it leaves, not once per cycle: a
 * cycle of 30 sends takes long enough to show in far hops' RTTs.  A probe
 * that did not leave is neither sent nor lost. */
static int send_probe(struct hs_engine *e, struct hs_trace *t, int ttl,
		      int flow)
{
	struct hs_engine_sock *es = fam_for(e, t);
	uint16_t seq = e->table->next_seq;
	struct hs_probe old;
	int64_t sent;
	int rc;

	rc = send_through_errors(e, t, seq, ttl, flow, &sent);
	if (rc < 0)
		return rc;
	hs_table_add(e->table, t->index, ttl, sent, &old);
	e->table->slot[seq].size = (uint16_t)t->cycle_psize;
	e->table->slot[seq].flow = (uint8_t)flow;
	forgotten(e, &old);
	hs_path_at(t->path, sent);
	hs_path_sent(t->path, ttl);
	hs_path_rate_sent(t->path, ttl, sent);
	if (hs_path_flow(t->path, flow))
		hs_path_sent(hs_path_flow(t->path, flow), ttl);
	t->waiting++;
	t->last_send_ns = sent;
	if (es->dgram_id < 0 && !es->sock->raw)
		es->dgram_id = hs_sock_dgram_id(es->sock);
	if (e->obs && e->obs->sent)
		e->obs->sent(e->obs_arg, t, ttl, seq);
	tell_outcome(e, t, HS_OUTCOME_SENT, ttl, sent, NULL, 0, flow);
	return 0;
}

static bool ours(const struct hs_engine *e, const struct hs_engine_sock *es,
		 const struct hs_trace *t, const struct hs_reply *rep)
{
	const struct hs_addr *tgt = &t->path->target;

	/* UDP errors reach only the socket whose ports they quote; SCTP
	 * answers name the port probed; raw TCP answers both ports, ours
	 * the one the probe went from */
	if (raw_tcp(es->sock)) {
		if (rep->id != e->opt->port ||
		    rep->local_port != tcp_sport(e, es->sock, rep->seq,
						 e->table->slot[rep->seq].flow))
			return false;
	} else if (es->sock->kind == HS_PROBE_SCTP) {
		if (rep->id != e->opt->port)
			return false;
	} else if (es->sock->raw && rep->id != e->ident) {
		return false;
	}
	if (!es->sock->raw && es->sock->kind == HS_PROBE_ICMP &&
	    es->dgram_id >= 0 && rep->id != es->dgram_id)
		return false;
	if (rep->kind == HS_REPLY_ECHO)
		return hs_addr_equal(&e->rx->from, tgt);
	return hs_addr_equal(&rep->quoted_dst, tgt);
}

/* The answer carries the check of the probe in flight under its number,
 * at that probe's TTL (when the answer holds the payload at all). */
static bool authentic(const struct hs_engine *e,
		      const struct hs_engine_sock *es,
		      const struct hs_reply *rep)
{
	const struct hs_probe *probe = &e->table->slot[rep->seq];

	if (raw_tcp(es->sock))
		return hs_syn_check_ok(&e->key, probe->ttl, rep);
	if (es->tcp)
		return true; /* no payload: the kernel matched the socket */
	if (es->sock->kind == HS_PROBE_SCTP)
		return hs_sctp_tag_ok(&e->key, rep->seq, probe->ttl, rep);
	return hs_mac_ok(&e->key, rep->seq, probe->ttl,
			 checked_len(e, es->sock, probe->size), rep->data,
			 rep->data_len, rep->kind == HS_REPLY_ECHO);
}

/* The target said it has no such port (UDP) or protocol (SCTP): the
 * probe reached it. */
static bool target_unreachable(const struct hs_engine *e,
			       const struct hs_trace *t,
			       const struct hs_reply *rep)
{
	int family = t->path->target.family;

	if (!hs_addr_equal(&e->rx->from, &t->path->target))
		return false;
	if (e->opt->udp)
		return hs_unreach_is_port(family, rep->code);
	if (e->opt->sctp) /* ICMPv6's stand-in comes as port unreachable */
		return hs_unreach_is_port(family, rep->code) ||
		       (family == AF_INET && rep->code == 2);
	return false;
}

/* What the answer says about the path.  A UDP probe's port unreachable
 * from the target is how the target answers (an SCTP probe's protocol
 * unreachable too); any other unreachable ends the path at the hop that
 * sent it. */
static enum hs_answer answer_kind(const struct hs_engine *e,
				  const struct hs_trace *t,
				  const struct hs_reply *rep)
{
	switch (rep->kind) {
	case HS_REPLY_ECHO:
		return HS_ANSWER_REACHED;
	case HS_REPLY_UNREACHABLE:
		if (target_unreachable(e, t, rep))
			return HS_ANSWER_REACHED;
		return HS_ANSWER_REFUSED;
	case HS_REPLY_TIME_EXCEEDED:
	case HS_REPLY_TOO_BIG: /* counted apart: count_too_big */
		break;
	}
	return HS_ANSWER_TRANSIT;
}

static void trace_event(struct hs_engine *e, struct hs_trace *t);

/* The probe left the table: the trace's counts follow. */
static void taken(struct hs_trace *t, const struct hs_probe *probe)
{
	if (probe->state == HS_PROBE_WAITING)
		t->waiting--;
	else if (probe->awaited)
		t->awaited--;
}

/* The same answer in the figures of the probe's flow (--flows). */
static void count_flow_reply(struct hs_engine *e, struct hs_trace *t,
			     const struct hs_probe *probe,
			     const struct hs_reply *rep, double ms)
{
	struct hs_path *fp = hs_path_flow(t->path, probe->flow);
	struct hs_responder *from;

	if (!fp)
		return;
	if (probe->state == HS_PROBE_LATE)
		from = hs_path_late_answer(fp, probe->ttl, probe->flow_mark,
					   &e->rx->from, ms,
					   answer_kind(e, t, rep), rep->code);
	else
		from = hs_path_answer(fp, probe->ttl, &e->rx->from, ms,
				      answer_kind(e, t, rep), rep->code);
	if (from)
		from->mpls = rep->mpls;
}

/* Count the answer in e->rx to probe rep->seq of trace t. */
static void count_reply(struct hs_engine *e, struct hs_trace *t,
			const struct hs_reply *rep, int64_t now)
{
	struct hs_probe probe;
	struct hs_responder *from;
	int64_t rtt;
	double ms;
	int end;

	if (!hs_table_take(e->table, rep->seq, &probe))
		return;
	taken(t, &probe);
	/* a TCP handshake's time, as the kernel measured it, is exact */
	rtt = e->rx->kernel_rtt_ns > 0 ?
		      e->rx->kernel_rtt_ns :
		      hs_rtt_ns(probe.sent_ns, now, hs_real_ns(),
				e->rx->kernel_real_ns);
	ms = (double)rtt / HS_NS_PER_MS;
	hs_path_at(t->path, probe.sent_ns);
	/* a late answer: slow, not lost */
	if (probe.state == HS_PROBE_LATE)
		from = hs_path_late_answer(t->path, probe.ttl, probe.mark,
					   &e->rx->from, ms,
					   answer_kind(e, t, rep), rep->code);
	else
		from = hs_path_answer(t->path, probe.ttl, &e->rx->from, ms,
				      answer_kind(e, t, rep), rep->code);
	if (from)
		from->mpls = rep->mpls; /* the labels of its latest reply */
	tell_outcome(e, t, probe.state == HS_PROBE_LATE ? HS_OUTCOME_LATE :
			   HS_OUTCOME_ANSWER, probe.ttl, probe.sent_ns,
		     &e->rx->from, ms, probe.flow);
	hs_path_rate_answer(t->path, probe.ttl, probe.sent_ns);
	count_flow_reply(e, t, &probe, rep, ms);
	if (t->mda)
		hs_mda_answer(t->mda, probe.ttl, probe.flow, &e->rx->from,
			      answer_kind(e, t, rep) != HS_ANSWER_TRANSIT);
	/* replies from past the end (first cycle) are not hops */
	end = hs_path_end_ttl(t->path);
	if (e->obs && e->obs->reply && (!end || probe.ttl <= end))
		e->obs->reply(e->obs_arg, t, probe.ttl, &e->rx->from, rtt,
			      rep->seq);
	trace_event(e, t);
}

/* The probe was too big for a link on the way: not an answer, not a
 * loss; the kernel fragments the next probes to the MTU it learnt. */
static void count_too_big(struct hs_engine *e, struct hs_trace *t,
			  const struct hs_reply *rep)
{
	struct hs_probe probe;

	if (!hs_table_take(e->table, rep->seq, &probe))
		return;
	taken(t, &probe);
	/* past its timeout the probe was counted lost: an error that late
	 * (never seen from a real router) leaves the count consistent */
	if (probe.state != HS_PROBE_LATE) {
		hs_path_too_big(t->path, probe.ttl, &e->rx->from, rep->mtu);
		if (hs_path_flow(t->path, probe.flow))
			hs_path_too_big(hs_path_flow(t->path, probe.flow),
					probe.ttl, &e->rx->from, rep->mtu);
	}
	if (t->mda) /* sent again, fragmented to the MTU learnt */
		hs_mda_lost(t->mda, probe.ttl, probe.flow);
	trace_event(e, t);
}

/* The trace that sent probe seq, if it is in the table and still
 * counting: a finished trace's report may be out and its path gone. */
static struct hs_trace *trace_of(struct hs_engine *e, uint16_t seq)
{
	const struct hs_probe *p = &e->table->slot[seq];
	struct hs_trace *t;

	if (p->state == HS_PROBE_FREE || p->trace >= e->n_traces)
		return NULL;
	t = e->traces[p->trace];
	return hs_trace_finished(t) ? NULL : t;
}

/* Drop probe seq of a finished trace from the table (a TCP probe's
 * socket with it). */
static void drop_finished(struct hs_engine *e, uint16_t seq)
{
	const struct hs_probe *p = &e->table->slot[seq];
	struct hs_probe gone;
	int f;

	if (p->state == HS_PROBE_WAITING || p->state == HS_PROBE_LATE)
		hs_table_take(e->table, seq, &gone);
	for (f = 0; f < 2; f++)
		if (e->fam[f].tcp)
			hs_tcp_close(e->fam[f].tcp, seq);
}

/* Step past n bytes of the payload an answer quoted (fewer if it quoted
 * fewer). */
static void skip_data(struct hs_reply *rep, size_t n)
{
	if (!rep->data)
		return;
	if (n > rep->data_len)
		n = rep->data_len;
	rep->data += n;
	rep->data_len -= n;
}

/*
 * A UDP probe as an error read whole quotes it (a raw ICMP socket): from
 * our port, to the run's (or with --flow-vary, to its number).  The
 * number in the quoted payload names it when quoted, else the checksum
 * does: a router that quotes RFC 792's 8 bytes still names its probe.
 * (A virtual link may leave the checksum to an offload that never runs:
 * what a router inside this host quotes then has none of ours.)
 */
static bool name_quoted_udp(const struct hs_engine *e,
			    const struct hs_engine_sock *es,
			    struct hs_reply *rep)
{
	uint16_t from_sum;

	if (rep->id != es->dgram_id)
		return false;
	if (!seq_in_payload(e))
		return true; /* the port is the number */
	rep->udp_port = rep->seq;
	if (!flow_port(e, rep->seq))
		return false;
	if (hs_payload_take_seq(&rep->data, &rep->data_len, &rep->seq)) {
		if (flow_stable(e))
			skip_data(rep, HS_FLOW_WORD_LEN);
		return true;
	}
	if (!flow_stable(e) || !hs_flow_udp_seq(rep->udp_csum, &from_sum))
		return false;
	rep->seq = from_sum;
	rep->by_csum = true;
	return true;
}

/*
 * Which probe the answer is about, and what its payload holds in front of
 * the keyed check.  UDP probes to one port: the number, read from the
 * error queue's copy of the payload (an error that quotes less names no
 * probe there), or from the whole error.  Flow-stable: the flow's word,
 * skipped.
 */
static bool name_probe(const struct hs_engine *e,
		       const struct hs_engine_sock *es, struct hs_reply *rep)
{
	if (raw_tcp(es->sock))
		return true; /* by the sequence number, as decoded */
	if (e->rx->meta.udp && e->rx->meta.raw)
		return name_quoted_udp(e, es, rep);
	rep->udp_port = e->rx->meta.dst_port;
	if (seq_in_payload(e) &&
	    (!flow_port(e, rep->udp_port) ||
	     !hs_payload_take_seq(&rep->data, &rep->data_len, &rep->seq)))
		return false;
	if (flow_stable(e))
		skip_data(rep, HS_FLOW_WORD_LEN);
	return true;
}

static int decode(const struct hs_engine *e, const struct hs_engine_sock *es,
		  struct hs_reply *rep)
{
	const struct hs_rx *rx = e->rx;

	if (es->sock->kind == HS_PROBE_SCTP)
		return hs_sctp_decode(&rx->meta, rx->buf, rx->len, rep);
	if (raw_tcp(es->sock))
		return hs_syn_decode(&rx->meta, rx->buf, rx->len, rep);
	if (rx->meta.udp && rx->meta.raw) /* an error, read whole */
		return hs_udp_decode_error(&rx->meta, rx->buf, rx->len, rep);
	return hs_icmp_decode(&rx->meta, rx->buf, rx->len, rep);
}

/* A reply is routed to its trace by the probe's number alone. */
static void handle_message(struct hs_engine *e, struct hs_engine_sock *es)
{
	struct hs_reply rep;
	struct hs_trace *t;
	int64_t now = hs_mono_ns();

	if (decode(e, es, &rep) < 0 || !name_probe(e, es, &rep))
		return;
	t = trace_of(e, rep.seq);
	if (!t || fam_for(e, t) != es || !ours(e, es, t, &rep) ||
	    !authentic(e, es, &rep))
		return;
	/* a UDP flow's probe came back through its flow's port */
	if (seq_in_payload(e) &&
	    rep.udp_port != udp_port(e, rep.seq,
				     e->table->slot[rep.seq].flow))
		return;
	/* the checksum counted this source: sent from another (a route
	 * through -I or -M), it names no probe */
	if (rep.by_csum && !hs_addr_equal(&rep.quoted_src, &t->src))
		return;
	if (rep.kind == HS_REPLY_TOO_BIG)
		count_too_big(e, t, &rep);
	else
		count_reply(e, t, &rep, now);
}

/* TCP probes: each flagged socket holds its own probe's answer. */
static void read_tcp_answers(struct hs_engine *e, struct hs_engine_sock *es,
			     const struct pollfd *fds, const uint16_t *seqs,
			     int n)
{
	struct hs_reply rep;
	int i;

	for (i = 0; i < n; i++) {
		int64_t now = hs_mono_ns();
		struct hs_trace *t = trace_of(e, seqs[i]);
		int got;

		if (!fds[i].revents || !t)
			continue;
		got = hs_tcp_read(es->tcp, seqs[i], &t->path->target, e->rx,
				  &rep);
		if (got > 0)
			count_reply(e, t, &rep, now);
		if (got != 0) /* the socket is done; unanswered, it times out */
			retire(e, t, seqs[i]);
	}
}

/* A raw socket: many messages a system call, until fewer come than
 * were asked for (the queue is empty: poll tells when more come).  Raw
 * sockets have no error queue, so no errors to count. */
static int read_batches(struct hs_engine *e, struct hs_engine_sock *es)
{
	int n = HS_RX_MANY, i, read;

	for (read = 0; read < READ_BATCH && n == HS_RX_MANY; read += n) {
		n = hs_sock_recv_many(es->sock, e->rxq, HS_RX_MANY);
		for (i = 0; i < n; i++) {
			e->rx = &e->rxq[i];
			handle_message(e, es);
		}
	}
	e->rx = &e->rxq[0];
	return 0;
}

/* Read every waiting message; returns how many came from the error
 * queue (-ENOMSG: an error that is not an ICMP message). */
static int read_replies(struct hs_engine *e, struct hs_engine_sock *es)
{
	int n, errors = 0, i;

	if (hs_sock_batches(es->sock))
		return read_batches(e, es);
	for (i = 0;
	     i < READ_BATCH && (n = hs_sock_recv(es->sock, e->rx)) != 0;
	     i++) {
		if (n == -ENOMSG || (n > 0 && e->rx->meta.from_errqueue))
			errors++;
		if (n > 0)
			handle_message(e, es);
		else if (n != -ENOMSG && n != -EINTR)
			break;
	}
	return errors;
}

/* A connect() probe's wait ends when the kernel would resend its SYN
 * (raw TCP sends each SYN once: it waits as the other kinds do). */
static int64_t probe_timeout_ns(const struct hs_engine *e,
				const struct hs_trace *t)
{
	int64_t to = hs_sched_timeout_ns(t->path, e->opt->timeout);

	return tcp_connect(e, t) && to > HS_TCP_MAX_WAIT_NS ?
		       HS_TCP_MAX_WAIT_NS : to;
}

/* How long a timed-out probe's record is kept for a late answer.  A
 * connect() probe has none: its socket closes when it times out. */
static int64_t late_window_ns(const struct hs_engine *e,
			      const struct hs_trace *t)
{
	return tcp_connect(e, t) ? 0 :
			     hs_sched_late_window_ns(probe_timeout_ns(e, t));
}

/* The oldest waiting probe timed out: it counts as lost, and stays late
 * (its answer may still come) until its late window closes. */
static void expire_one(struct hs_engine *e, struct hs_trace *t, uint16_t seq)
{
	int ttl = e->table->slot[seq].ttl;
	uint32_t mark;
	struct hs_path *fp = hs_path_flow(t->path, e->table->slot[seq].flow);
	struct hs_probe probe;
	bool awaited = t->path->hops[ttl].st.recv > 0;

	hs_path_at(t->path, e->table->slot[seq].sent_ns);
	mark = hs_path_lost(t->path, ttl);
	tell_outcome(e, t, HS_OUTCOME_LOST, ttl, e->table->slot[seq].sent_ns,
		     NULL, 0, e->table->slot[seq].flow);
	if (fp) /* its own place in the flow's count, for a late answer */
		e->table->slot[seq].flow_mark = hs_path_lost(fp, ttl);
	t->waiting--;
	if (t->mda)
		hs_mda_lost(t->mda, ttl, e->table->slot[seq].flow);
	if (late_window_ns(e, t) > 0) {
		hs_table_expire(e->table, seq, mark, awaited);
		t->awaited += awaited;
	} else {
		hs_table_take(e->table, seq, &probe);
		retire(e, t, seq);
	}
	trace_event(e, t);
}

static void expire_probes(struct hs_engine *e, int64_t now)
{
	struct hs_trace *t;
	uint16_t seq;

	while (hs_table_oldest(e->table, &seq)) {
		if (!(t = trace_of(e, seq)))
			drop_finished(e, seq);
		else if (now - e->table->slot[seq].sent_ns >=
			 probe_timeout_ns(e, t))
			expire_one(e, t, seq);
		else
			break;
	}
	while (hs_table_oldest_late(e->table, &seq)) {
		if (!(t = trace_of(e, seq))) {
			drop_finished(e, seq);
			continue;
		}
		if (now - e->table->slot[seq].sent_ns < late_window_ns(e, t))
			break;
		if (e->table->slot[seq].awaited)
			t->awaited--;
		hs_table_forget(e->table, seq);
		trace_event(e, t);
	}
}

/* --- traces' life: due, sending, draining, done ------------------------ */

/* A trace's cycles and interval: its own, or the run's. */
static int cycles_of(const struct hs_engine *e, const struct hs_trace *t)
{
	return t->own_cycles ? t->own_cycles : e->opt->cycles;
}

static double interval_of(const struct hs_engine *e, const struct hs_trace *t)
{
	return t->own_interval > 0 ? t->own_interval : e->opt->interval;
}

static int64_t cycle_due_ns(const struct hs_engine *e,
			    const struct hs_trace *t)
{
	return t->start_ns +
	       (int64_t)(t->cycles_sent * interval_of(e, t) * HS_NS_PER_SEC);
}

static void ring_push(uint32_t *ring, uint32_t cap, uint32_t head,
		      uint32_t *n, uint32_t v)
{
	ring[(head + *n) % cap] = v;
	(*n)++;
}

static uint32_t ring_pop(const uint32_t *ring, uint32_t cap, uint32_t *head,
			 uint32_t *n)
{
	uint32_t v = ring[*head];

	*head = (*head + 1) % cap;
	(*n)--;
	return v;
}

/* v out of the ring, the others kept in order (rare: a draining trace
 * that goes on). */
static void ring_remove(uint32_t *ring, uint32_t cap, uint32_t head,
			uint32_t *n, uint32_t v)
{
	uint32_t i, kept = 0;

	for (i = 0; i < *n; i++) {
		uint32_t x = ring[(head + i) % cap];

		if (x != v)
			ring[(head + kept++) % cap] = x;
	}
	*n = kept;
}

static void make_ready(struct hs_engine *e, struct hs_trace *t)
{
	t->state = HS_TRACE_SENDING;
	ring_push(e->ready, e->n_traces, e->ready_head, &e->ready_n,
		  t->index);
}

static int64_t grace_ns(const struct hs_engine *e)
{
	return (int64_t)(e->opt->gracetime * HS_NS_PER_SEC);
}

/*
 * When a draining trace stops waiting: its last probe's time plus what
 * its answers show may still come, within -G (hs_sched_drain_ns).  A
 * probe still waiting is waited for up to -G: probes time out oldest
 * first, whatever their trace, so one may be counted as lost a little
 * after its own timeout, and it must be counted.
 */
static int64_t drain_end_ns(const struct hs_engine *e,
			    const struct hs_trace *t)
{
	if (t->waiting)
		return t->last_send_ns + grace_ns(e);
	return t->last_send_ns +
	       hs_sched_drain_ns(t->path, probe_timeout_ns(e, t), grace_ns(e));
}

/* A trace is done: its report may be written.  A view's write error
 * stops the run (e->failed). */
static void mark_done(struct hs_engine *e, struct hs_trace *t,
		      enum hs_trace_state state)
{
	t->state = state;
	t->done_ns = hs_mono_ns();
	t->info.end_real_ns = hs_real_ns();
	e->n_done++;
	if (t->admitted)
		e->n_active--;
	if (e->n_traces > 1)
		hs_engine_fill_names(e, t);
	if (e->obs && e->obs->done && e->obs->done(e->obs_arg, t) < 0) {
		snprintf(e->err, sizeof(e->err), "cannot write output: %s",
			 strerror(errno));
		e->failed = true;
	}
}

/*
 * A trace that stopped because its stopping rule said enough is asked
 * again once its probes have settled: the answers and losses still in
 * flight when it stopped may undo that (a diagnosis sure on what had
 * come in, not on all it sent), and then it goes on with its cycles.
 */
static bool goes_on(struct hs_engine *e, struct hs_trace *t)
{
	if (!t->stopped_sure || t->cycles_sent >= cycles_of(e, t) ||
	    e->obs->enough(e->obs_arg, t))
		return false;
	t->stopped_sure = false;
	t->state = HS_TRACE_IDLE;
	hs_due_push(&e->due, t->index, cycle_due_ns(e, t));
	return true;
}

/* Something happened to one of t's probes. */
static void trace_event(struct hs_engine *e, struct hs_trace *t)
{
	if (t->state == HS_TRACE_PARKED)
		make_ready(e, t);
	else if (t->state == HS_TRACE_DRAINING && hs_trace_settled(t)) {
		if (goes_on(e, t))
			ring_remove(e->draining, e->n_traces, e->drain_head,
				    &e->drain_n, t->index);
		else
			mark_done(e, t, HS_TRACE_DONE);
	}
}

/* Not one probe of the cycle could be sent: with one trace the run
 * fails, as before; with many, that trace does. */
static void cycle_failed(struct hs_engine *e, struct hs_trace *t)
{
	snprintf(t->err, sizeof(t->err), "cannot send probes to %s: %s",
		 t->info.target, strerror(t->cycle_errno));
	if (e->n_traces == 1) {
		snprintf(e->err, sizeof(e->err), "%s", t->err);
		e->failed = true;
		return;
	}
	mark_done(e, t, HS_TRACE_FAILED);
}

/* Every cycle is sent: the trace waits for its last answers. */
static void start_draining(struct hs_engine *e, struct hs_trace *t)
{
	t->state = HS_TRACE_DRAINING;
	ring_push(e->draining, e->n_traces, e->drain_head, &e->drain_n,
		  t->index);
	trace_event(e, t);
}

/* The cycle being sent is complete. */
static void cycle_complete(struct hs_engine *e, struct hs_trace *t)
{
	/* the monitor goes on: the next cycle may find the route back */
	if (t->cycle_errno && !t->cycle_sends && !e->endless) {
		cycle_failed(e, t);
		return;
	}
	/* With several hosts a report goes out when its trace is done:
	 * names and owners asked now, after the first cycle, are mostly
	 * back by then (asked once more when done, for routers heard
	 * later). */
	if (e->n_traces > 1 && t->cycles_sent == 1)
		hs_engine_fill_names(e, t);
	if (t->cycles_sent < cycles_of(e, t)) {
		t->stopped_sure = e->obs && e->obs->enough &&
				  e->obs->enough(e->obs_arg, t);
		if (!t->stopped_sure) {
			t->state = HS_TRACE_IDLE;
			hs_due_push(&e->due, t->index, cycle_due_ns(e, t));
			return;
		}
	}
	start_draining(e, t);
}

/* A random number only where one is used: libsodium may make a system
 * call for each, and thousands of traces draw every second. */
static uint32_t random_if(bool used)
{
	return used ? randombytes_random() : 0;
}

/* A cycle's probe size and fill byte: random each cycle, as mtr draws
 * them, when -s is below 0 or -B is -1. */
static void draw_cycle(const struct hs_engine *e, struct hs_trace *t)
{
	int min = hs_payload_min_size(t->target.family,
				      hs_payload_prefix(e->opt->udp,
							flow_stable(e),
							e->opt->port_given));
	int psize = t->own_psize ? t->own_psize : e->opt->psize;
	int size = hs_payload_pick_size(psize, min, random_if(psize < 0));

	t->cycle_psize = size < min ? min : size;
	t->cycle_pattern = hs_payload_pick_pattern(
		e->opt->bitpattern, random_if(e->opt->bitpattern == -1));
}

static void begin_cycle(struct hs_engine *e, struct hs_trace *t)
{
	/* a flow-stable UDP checksum counts the source address (-a's, or
	 * the one the kernel routes from), and so does a raw SYN's */
	if (!t->cycles_sent &&
	    ((flow_stable(e) && e->opt->udp) ||
	     raw_tcp(fam_for(e, t)->sock)) &&
	    !hs_addr_is_set(&t->src))
		hs_local_addr_for(&t->target, &t->src);
	t->cycles_sent++;
	draw_cycle(e, t);
	t->next_ttl = t->path->first_ttl;
	t->next_flow = 0;
	t->cycle_sends = 0;
	t->cycle_errno = 0;
	make_ready(e, t);
}

/* Start the cycles that are due. */
static void start_due_cycles(struct hs_engine *e, int64_t now)
{
	uint32_t i;

	int64_t at;

	while (!e->paused && hs_due_first(&e->due, &i, &at) && at <= now) {
		struct hs_trace *t = e->traces[i];

		hs_due_pop(&e->due);
		if (t->state != HS_TRACE_IDLE)
			continue; /* its last cycle came early ('c') */
		begin_cycle(e, t);
	}
}

/* Whether a queued trace may begin: there is one, fewer than the most
 * are under way, and the budget has a probe to spare. */
static bool may_admit(const struct hs_engine *e, int64_t now)
{
	return e->admit_next < e->n_traces && e->n_active < e->max_active &&
	       (!e->paced || hs_bucket_wait_ns(&e->bucket, now) == 0);
}

/* The next queued trace begins its first cycle now (FAILED when there
 * is no memory for its path). */
static void admit(struct hs_engine *e, int64_t now)
{
	struct hs_trace *t = e->traces[e->admit_next++];

	if (t->state != HS_TRACE_QUEUED)
		return;
	t->admitted = true;
	e->n_active++;
	t->start_ns = now;
	t->info.start_real_ns = hs_real_ns();
	if (hs_trace_begin(t, e->opt->first_ttl, e->opt->max_ttl) < 0 ||
	    (n_flows(e) > 1 && hs_path_add_flows(t->path, n_flows(e)) < 0)) {
		snprintf(t->err, sizeof(t->err), "%s: out of memory",
			 t->info.target);
		mark_done(e, t, HS_TRACE_FAILED);
		return;
	}
	begin_cycle(e, t);
}

/* Begin queued traces until min_active are under way: taking turns,
 * each of them sends a probe every min_active / rate seconds (100 ms),
 * so an answer is usually back before its trace probes deeper. */
static void admit_floor(struct hs_engine *e, int64_t now)
{
	while (e->admit_next < e->n_traces && e->n_active < e->min_active &&
	       !e->paused)
		admit(e, now);
}

/* -T: every probe holds a socket until it is answered or times out. */
static bool sockets_left(const struct hs_engine *e)
{
	int open = 0, f;

	for (f = 0; f < 2; f++)
		if (e->fam[f].tcp)
			open += e->fam[f].tcp->n_open;
	return !e->tcp_cap || open < e->tcp_cap;
}

/*
 * --mda: the probe the map asks for next (src/mda/mda.h); or the trace
 * parks until one of its probes is answered or lost; or, the path
 * mapped, its one cycle is complete.  A probe that cannot leave counts
 * as lost, so the map sends it again within its bound.  false: the
 * budget has no probe for it now.
 */
static bool send_mda(struct hs_engine *e, struct hs_trace *t, int64_t now)
{
	int ttl, flow, rc;
	enum hs_mda_step step;

	if (e->paced && hs_bucket_wait_ns(&e->bucket, now) > 0)
		return false;
	ring_pop(e->ready, e->n_traces, &e->ready_head, &e->ready_n);
	step = hs_mda_next(t->mda, &ttl, &flow);
	if (step == HS_MDA_WAIT) {
		t->state = HS_TRACE_PARKED;
		return true;
	}
	if (step == HS_MDA_DONE) {
		cycle_complete(e, t);
		return true;
	}
	if (e->paced)
		hs_bucket_take(&e->bucket, now, 1);
	rc = send_probe(e, t, ttl, flow);
	if (rc == 0) {
		t->cycle_sends++;
	} else {
		if (rc != -EAGAIN)
			t->cycle_errno = -rc;
		hs_mda_lost(t->mda, ttl, flow);
	}
	make_ready(e, t);
	return true;
}

/* --until-sure: a hop whose answers show a rate limit is probed no
 * faster than it answers (each hop by itself: the limits are each
 * router's own), so that its figures can place the start of loss. */
static bool held_back(const struct hs_engine *e, struct hs_trace *t, int ttl,
		      int64_t now)
{
	struct hs_rate_hop *r = hs_path_rate(t->path, ttl);

	if (!e->opt->until_sure || !r)
		return false;
	hs_rate_pace(r);
	return hs_rate_too_soon(r, now);
}

/* Send what the budget allows, one probe per ready trace in turn, so
 * each trace's probes are spread over the time its cycle takes. */
static void send_ready(struct hs_engine *e, int64_t now)
{
	while (!e->paused && !e->failed) {
		struct hs_trace *t;
		int ttl, rc, flow;

		if (!e->ready_n) {
			/* nothing else would use the budget now */
			if (!may_admit(e, now))
				break;
			admit(e, now);
			continue;
		}
		t = e->traces[e->ready[e->ready_head]];
		if (hs_trace_finished(t)) { /* retired (hs_engine_retire) */
			ring_pop(e->ready, e->n_traces, &e->ready_head,
				 &e->ready_n);
			continue;
		}
		if (t->mda) {
			if (!send_mda(e, t, now))
				break;
			continue;
		}
		ttl = hs_trace_next_ttl(t, e->opt->max_unknown, e->paced);
		if (ttl > 0 && held_back(e, t, ttl, now)) {
			t->next_flow = 0; /* this cycle passes the hop by */
			t->next_ttl++;
			continue;
		}
		if (ttl > 0 && !sockets_left(e))
			break;
		if (ttl > 0 && e->paced && !hs_bucket_take(&e->bucket, now, 1))
			break;
		ring_pop(e->ready, e->n_traces, &e->ready_head, &e->ready_n);
		if (ttl < 0) {
			t->state = HS_TRACE_PARKED;
			continue;
		}
		if (ttl == 0) {
			cycle_complete(e, t);
			continue;
		}
		/* each TTL once for every flow, side by side */
		flow = t->next_flow;
		if (++t->next_flow >= n_flows(e)) {
			t->next_flow = 0;
			t->next_ttl++;
		}
		rc = send_probe(e, t, ttl, flow);
		/* errors kept arriving: this probe waits for the next cycle;
		 * only failures of our own count */
		if (rc == 0)
			t->cycle_sends++;
		else if (rc != -EAGAIN)
			t->cycle_errno = -rc;
		make_ready(e, t);
	}
}

/* Draining traces are done when every probe is settled (trace_event),
 * or when their wait is over (drain_end_ns): checked in the order they
 * began draining, so one may wait for those before it, never past its
 * own -G. */
static void finish_drained(struct hs_engine *e, int64_t now)
{
	while (e->drain_n) {
		struct hs_trace *t = e->traces[e->draining[e->drain_head]];

		if (t->state == HS_TRACE_DRAINING && now < drain_end_ns(e, t))
			break;
		ring_pop(e->draining, e->n_traces, &e->drain_head,
			 &e->drain_n);
		if (t->state == HS_TRACE_DRAINING && !goes_on(e, t))
			mark_done(e, t, HS_TRACE_DONE);
	}
}

/*
 * The cycle count starts again with the figures; the next cycle stays due
 * when it was (a cycle under way counts as the first).  A trace that has
 * sent every cycle is finishing and keeps its count.
 */
static void restart_count(struct hs_engine *e, struct hs_trace *t)
{
	int kept;

	if (t->state != HS_TRACE_IDLE && t->state != HS_TRACE_SENDING &&
	    t->state != HS_TRACE_PARKED)
		return;
	kept = t->state == HS_TRACE_IDLE ? 0 : 1;
	t->start_ns += (int64_t)((t->cycles_sent - kept) * e->opt->interval *
				 HS_NS_PER_SEC);
	t->cycles_sent = kept;
}

/* Forget every figure, every probe in flight and the cycle count (the
 * screen's 'r'). */
static void reset(struct hs_engine *e)
{
	uint32_t i;

	for (i = 0; i < e->n_traces; i++) {
		struct hs_trace *t = e->traces[i];

		if (!t->path) /* never started */
			continue;
		hs_path_reset_stats(t->path);
		t->waiting = t->awaited = 0;
		restart_count(e, t);
	}
	for (i = 0; i < 2; i++)
		if (e->fam[i].tcp)
			hs_tcp_close_all(e->fam[i].tcp);
	hs_table_init(e->table, e->table->next_seq, e->table->low_seq);
	for (i = 0; i < e->n_traces; i++)
		if (e->traces[i]->path)
			trace_event(e, e->traces[i]);
}

static int64_t due_of(uint32_t idx, const void *arg)
{
	const struct hs_engine *e = arg;

	return cycle_due_ns(e, e->traces[idx]);
}

/* On resume the next cycle of each trace is due now, not in a burst. */
static void resume(struct hs_engine *e, int64_t now)
{
	uint32_t i;

	for (i = 0; i < e->n_traces; i++) {
		struct hs_trace *t = e->traces[i];

		t->start_ns = now - (int64_t)(t->cycles_sent *
					       e->opt->interval *
					       HS_NS_PER_SEC);
	}
	hs_due_rekey(&e->due, due_of, e);
}

/* --- the screen's settings (mtr's keys i c f m s) ------------------------ */

/* 'i': each trace's next cycle comes the new interval after its last. */
static void set_interval(struct hs_engine *e, double interval)
{
	double old = e->opt->interval;
	uint32_t i;

	for (i = 0; i < e->n_traces; i++) {
		struct hs_trace *t = e->traces[i];
		int done = t->cycles_sent > 0 ? t->cycles_sent - 1 : 0;

		t->start_ns += (int64_t)(done * (old - interval) *
					 HS_NS_PER_SEC);
		t->info.interval = interval;
	}
	e->opt->interval = interval;
	hs_due_rekey(&e->due, due_of, e);
}

/* 'c': a trace that has sent that many cycles now finishes. */
static void set_cycles(struct hs_engine *e, int cycles)
{
	uint32_t i;

	e->opt->cycles = cycles;
	for (i = 0; i < e->n_traces; i++) {
		struct hs_trace *t = e->traces[i];

		t->info.cycles = cycles;
		if (t->state == HS_TRACE_IDLE && t->cycles_sent >= cycles)
			start_draining(e, t);
	}
}

/* 'f' and 'm': the traces probe a new range of TTLs; their figures, and
 * what they had learnt of where the path ends, start again. */
static void set_ttls(struct hs_engine *e, int first, int max)
{
	uint32_t i;

	e->opt->first_ttl = first;
	e->opt->max_ttl = max;
	for (i = 0; i < e->n_traces; i++) {
		struct hs_trace *t = e->traces[i];
		struct hs_path *p;

		if (!t->path)
			continue;
		p = hs_path_renew(t->path, first, max);
		if (p) /* else the old range goes on: nothing is lost */
			t->path = p;
		if (t->next_ttl < first)
			t->next_ttl = first;
	}
	reset(e);
}

/* 's': probes of another size measure another thing: figures restart. */
static void set_psize(struct hs_engine *e, int psize)
{
	uint32_t i;

	e->opt->psize = psize;
	for (i = 0; i < e->n_traces; i++)
		e->traces[i]->info.psize = psize;
	reset(e);
}

/* 'b': the next cycles' fill byte; the figures go on. */
static void set_pattern(struct hs_engine *e, int pattern)
{
	uint32_t i;

	e->opt->bitpattern = pattern;
	for (i = 0; i < e->n_traces; i++)
		e->traces[i]->info.bitpattern = pattern;
}

/* 'Q': the TOS of every probe from now on; the figures go on.  Any
 * socket takes any TOS byte without privilege, so this cannot fail. */
static void set_tos(struct hs_engine *e, int tos)
{
	uint32_t i;
	int f;

	e->opt->tos = tos;
	for (f = 0; f < 2; f++) {
		if (e->fam[f].tcp)
			e->fam[f].tcp->wire.tos = tos; /* the next sockets */
		else if (e->fam[f].sock)
			hs_wire_set_tos(e->fam[f].sock->fd,
					e->fam[f].sock->family, tos);
	}
	for (i = 0; i < e->n_traces; i++)
		e->traces[i]->info.tos = tos;
}

/* --- the screen's u and t: another kind of probe ------------------------- */

uint16_t hs_engine_low_seq(const struct options *o)
{
	bool stable = !o->flow_vary && !o->tcp && !o->sctp;

	/* flow-stable UDP numbers make checksums; --flow-vary's without -P
	 * are destination ports; SCTP's are source ports */
	return o->udp && stable ? HS_FLOW_UDP_LOW_SEQ :
	       o->udp && !o->port_given ? HS_UDP_FIRST_PORT :
	       o->sctp ? HS_SCTP_FIRST_PORT : 0;
}

/* Whether kind k has sockets for the family of every trace under way
 * (the view checks the same before it asks). */
static bool kind_ready(const struct hs_engine *e, enum hs_probe_kind k)
{
	uint32_t i;

	for (i = 0; i < e->n_traces; i++)
		if (e->traces[i]->path &&
		    !e->kinds[k].sock[e->traces[i]->target.family == AF_INET6])
			return false;
	return true;
}

/* The family sockets of kind k take over, with the TOS of the moment. */
static void swap_sockets(struct hs_engine *e, enum hs_probe_kind k)
{
	int f;

	for (f = 0; f < 2; f++) {
		struct hs_engine_sock *es = &e->fam[f];

		if (es->tcp)
			hs_tcp_close_all(es->tcp);
		es->sock = e->kinds[k].sock[f];
		/* raw TCP sends from its held ports; connect() a socket
		 * a probe */
		es->tcp = k == HS_PROBE_TCP && es->sock && !es->sock->raw ?
				  e->tcp[f] : NULL;
		es->dgram_id = e->kinds[k].dgram_id[f];
		if (es->tcp)
			es->tcp->wire.tos = e->opt->tos;
		else if (es->sock)
			hs_wire_set_tos(es->sock->fd, es->sock->family,
					e->opt->tos);
	}
}

/* What a trace says of its probes, and the source a flow-stable UDP
 * checksum counts (-a's, or the one the kernel routes from). */
static void retarget(struct hs_engine *e, struct hs_trace *t,
		     enum hs_probe_kind k)
{
	const struct hs_engine_sock *es = fam_for(e, t);
	int f;

	t->probe = k;
	/* connect() probes each have a port of their own */
	t->flow_vary = e->opt->flow_vary ||
		       (k == HS_PROBE_TCP && !es->sock->raw);
	t->path->flow_vary = t->flow_vary;
	t->info.probe_mode = hs_sock_mode_name(es->sock);
	t->info.psize_min = hs_payload_min_size(t->target.family,
						prefix_len(e, es->sock));
	t->src = t->info.source;
	if (k == HS_PROBE_UDP && flow_stable(e) && !hs_addr_is_set(&t->src))
		hs_local_addr_for(&t->target, &t->src);
	t->path->probe = k;
	for (f = 0; f < t->path->n_flows; f++)
		t->path->flows[f]->probe = k;
	draw_cycle(e, t);
}

/* 'u' and 't': every trace probes with kind k from now on.  The probes
 * in flight are dropped and the figures restart, as mtr's do.  A new key
 * fails the check of any answer to the old kind's probes, and what
 * waits on the new sockets is read while the table is empty: nothing
 * sent before counts after. */
static void set_probe_kind(struct hs_engine *e, enum hs_probe_kind k)
{
	uint16_t low, next;
	uint32_t i;
	int f;

	if (k >= HS_PROBE_KINDS || !kind_ready(e, k))
		return; /* the view said why */
	swap_sockets(e, k);
	e->opt->udp = k == HS_PROBE_UDP;
	e->opt->tcp = k == HS_PROBE_TCP;
	e->opt->sctp = k == HS_PROBE_SCTP;
	hs_mac_key_new(&e->key);
	/* the numbers go on where they were, when the new kind's range has
	 * them: a late answer to an old probe names no new one */
	low = hs_engine_low_seq(e->opt);
	next = e->table->next_seq >= low ? e->table->next_seq :
	       (uint16_t)(low + randombytes_uniform(65536u - low));
	hs_table_init(e->table, next, low);
	for (i = 0; i < e->n_traces; i++)
		if (e->traces[i]->path)
			retarget(e, e->traces[i], k);
	reset(e);
	for (f = 0; f < 2; f++)
		if (e->fam[f].sock && !e->fam[f].tcp)
			read_replies(e, &e->fam[f]);
}

static void set(struct hs_engine *e, struct hs_run_request r)
{
	switch (r.cmd) {
	case HS_CMD_SET_INTERVAL:
		set_interval(e, r.value);
		break;
	case HS_CMD_SET_CYCLES:
		set_cycles(e, (int)r.value);
		break;
	case HS_CMD_SET_FIRST_TTL:
		set_ttls(e, (int)r.value, e->opt->max_ttl);
		break;
	case HS_CMD_SET_MAX_TTL:
		set_ttls(e, e->opt->first_ttl, (int)r.value);
		break;
	case HS_CMD_SET_PSIZE:
		set_psize(e, (int)r.value);
		break;
	case HS_CMD_SET_PATTERN:
		set_pattern(e, (int)r.value);
		break;
	case HS_CMD_SET_TOS:
		set_tos(e, (int)r.value);
		break;
	case HS_CMD_SET_PROBE_KIND:
		set_probe_kind(e, (enum hs_probe_kind)r.value);
		break;
	default:
		break;
	}
}

static void obey(struct hs_engine *e, struct hs_run_request r)
{
	int64_t now = hs_mono_ns();

	switch (r.cmd) {
	case HS_CMD_QUIT:
		e->quit = true;
		break;
	case HS_CMD_PAUSE:
		if (!e->paused)
			e->pause_began_ns = now;
		e->paused = true;
		break;
	case HS_CMD_RESUME:
		if (e->paused) {
			resume(e, now);
			e->paused_ns += now - e->pause_began_ns;
		}
		e->paused = false;
		break;
	case HS_CMD_INPUT_ENDED:
		e->input_ended = true;
		break;
	case HS_CMD_RESET:
		reset(e);
		break;
	case HS_CMD_OWNERS:
		e->asn_on = e->asn != NULL;
		break;
	case HS_CMD_NONE:
		break;
	default:
		set(e, r);
		break;
	}
}

static void earliest(int64_t *next, int64_t t)
{
	if (t < *next)
		*next = t;
}

/* When the probes in the table next need a look: the oldest waiting
 * probe's timeout, the oldest late record's window. */
static void table_wake(struct hs_engine *e, int64_t *next)
{
	struct hs_trace *t;
	uint16_t seq;

	/* a finished trace's probe is dropped on the next turn */
	if (hs_table_oldest(e->table, &seq))
		earliest(next, (t = trace_of(e, seq)) ?
			 e->table->slot[seq].sent_ns + probe_timeout_ns(e, t) :
			 0);
	if (hs_table_oldest_late(e->table, &seq))
		earliest(next, (t = trace_of(e, seq)) ?
			 e->table->slot[seq].sent_ns + late_window_ns(e, t) :
			 0);
}

/* When the loop must wake up next, in ms from now. */
static int wake_ms(struct hs_engine *e, int64_t now)
{
	int64_t next = now + 60 * HS_NS_PER_SEC;
	struct hs_engine_side *d;
	uint32_t i;
	int dns;

	if (!e->paused) {
		int64_t at;

		if (hs_due_first(&e->due, &i, &at))
			earliest(&next, at);
		if (e->ready_n || (e->admit_next < e->n_traces &&
				   e->n_active < e->max_active))
			earliest(&next, now + (e->paced ?
					       hs_bucket_wait_ns(&e->bucket,
								 now) : 0));
	}
	if (e->drain_n) {
		struct hs_trace *t = e->traces[e->draining[e->drain_head]];

		earliest(&next, t->state == HS_TRACE_DRAINING ?
					drain_end_ns(e, t) : 0);
	}
	table_wake(e, &next);
	next = next <= now ? 0 : (next - now + HS_NS_PER_MS - 1) / HS_NS_PER_MS;
	if (e->rdns) {
		dns = hs_rdns_timeout_ms(e->rdns);
		if (dns >= 0 && dns < next)
			next = dns;
	}
	if (e->asn) {
		dns = hs_asn_timeout_ms(e->asn);
		if (dns >= 0 && dns < next)
			next = dns;
	}
	if (e->obs && e->obs->input && e->obs->tick_ms < next)
		next = e->obs->tick_ms;
	for (d = e->sides; d; d = d->next) {
		int ms = d->timeout_ms(d->arg, now);

		if (ms >= 0 && ms < next)
			next = ms;
	}
	return next > 60000 ? 60000 : (int)next;
}

static void drain_signal(struct hs_engine *e)
{
	struct signalfd_siginfo si;

	if (read(e->signal_fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return;
	if (si.ssi_signo == SIGHUP && e->hangup_reloads)
		e->hangup = true;
	else
		e->interrupted = true;
}

/* Where each kind of descriptor sits in e->fds. */
struct poll_layout {
	int sock[2], icmp[2], sig, in, dns_first, dns_n, asn_first, asn_n,
		tcp_first[2], tcp_n[2];
};

static int add_fd(struct hs_engine *e, int *n, int fd)
{
	e->fds[*n] = (struct pollfd){ .fd = fd, .events = POLLIN };
	return (*n)++;
}

/* The sides' descriptors (each side reads its own in run()). */
static int side_pollfds(struct hs_engine *e, int n)
{
	struct hs_engine_side *d;

	for (d = e->sides; d && n < MAX_POLL / 2; d = d->next)
		if (d->fd >= 0)
			add_fd(e, &n, d->fd);
	return n;
}

static int fill_pollfds(struct hs_engine *e, struct poll_layout *l)
{
	int n = 0, f;

	memset(l, -1, sizeof(*l));
	for (f = 0; f < 2; f++) {
		if (!e->fam[f].sock || e->fam[f].tcp)
			continue;
		l->sock[f] = add_fd(e, &n, e->fam[f].sock->fd);
		if (hs_sock_has_icmp(e->fam[f].sock))
			l->icmp[f] = add_fd(e, &n, e->fam[f].sock->icmp_fd);
	}
	if (e->signal_fd >= 0)
		l->sig = add_fd(e, &n, e->signal_fd);
	if (e->obs && e->obs->input && !e->input_ended)
		l->in = add_fd(e, &n, e->obs->input_fd);
	n = side_pollfds(e, n);
	l->dns_n = 0;
	if (e->rdns) {
		l->dns_first = n;
		l->dns_n = hs_rdns_pollfds(e->rdns, e->fds + n, MAX_POLL - n);
		n += l->dns_n;
	}
	l->asn_n = 0;
	if (e->asn) {
		l->asn_first = n;
		l->asn_n = hs_asn_pollfds(e->asn, e->fds + n, MAX_POLL - n);
		n += l->asn_n;
	}
	for (f = 0; f < 2; f++) {
		l->tcp_n[f] = 0;
		if (!e->fam[f].tcp)
			continue;
		l->tcp_first[f] = n;
		l->tcp_n[f] = hs_tcp_pollfds(e->fam[f].tcp, e->fds + n,
					     e->tcp_seqs + n, HS_TCP_MAX_OPEN);
		n += l->tcp_n[f];
	}
	return n;
}

static int wait_events(struct hs_engine *e, int timeout_ms)
{
	struct poll_layout l;
	int n = fill_pollfds(e, &l), f;

	if (poll(e->fds, (nfds_t)n, timeout_ms) < 0)
		return errno == EINTR ? 0 : -errno;
	for (f = 0; f < 2; f++)
		if ((l.sock[f] >= 0 && e->fds[l.sock[f]].revents) ||
		    (l.icmp[f] >= 0 && e->fds[l.icmp[f]].revents))
			read_replies(e, &e->fam[f]);
	if (l.sig >= 0 && e->fds[l.sig].revents)
		drain_signal(e);
	if (l.in >= 0 && e->fds[l.in].revents)
		obey(e, e->obs->input(e->obs_arg));
	if (e->rdns)
		hs_rdns_process(e->rdns, e->fds + l.dns_first, l.dns_n);
	if (e->asn)
		hs_asn_process(e->asn, e->fds + l.asn_first, l.asn_n);
	for (f = 0; f < 2; f++)
		if (l.tcp_n[f])
			read_tcp_answers(e, &e->fam[f],
					 e->fds + l.tcp_first[f],
					 e->tcp_seqs + l.tcp_first[f],
					 l.tcp_n[f]);
	return 0;
}

/* -z: what is known of r's owner, copied (the cache evicts). */
static void fill_owner(struct hs_engine *e, struct hs_responder *r)
{
	const struct hs_owner *o;

	if (r->owner && r->owner->done)
		return;
	o = hs_asn_owner(e->asn, &r->addr);
	if (!o)
		return;
	if (!r->owner)
		r->owner = malloc(sizeof(*r->owner));
	if (r->owner)
		*r->owner = *o;
}

/* Names and owners for the responders of p's hops up to last. */
static void fill_path_names(struct hs_engine *e, struct hs_path *p, int last)
{
	int ttl, i;

	for (ttl = p->first_ttl; ttl <= last; ttl++) {
		struct hs_hop *h = &p->hops[ttl];

		for (i = 0; i < h->n_resp; i++) {
			const char *name;

			if (e->asn_on)
				fill_owner(e, &h->resp[i]);
			if (!e->rdns || h->resp[i].name[0])
				continue;
			name = hs_rdns_name(e->rdns, &h->resp[i].addr);
			if (name)
				snprintf(h->resp[i].name,
					 sizeof(h->resp[i].name), "%s", name);
		}
	}
}

void hs_engine_fill_names(struct hs_engine *e, struct hs_trace *t)
{
	int last, f;

	if ((!e->rdns && !e->asn) || !t->path)
		return;
	last = hs_path_last_hop(t->path);
	fill_path_names(e, t->path, last);
	for (f = 0; f < t->path->n_flows; f++)
		fill_path_names(e, t->path->flows[f], last);
}

static bool lookups_pending(struct hs_engine *e)
{
	return (e->rdns && hs_rdns_pending(e->rdns)) ||
	       (e->asn && hs_asn_pending(e->asn));
}

/* Give outstanding name lookups a moment so the report shows names. */
static void finish_names(struct hs_engine *e)
{
	int64_t until = hs_mono_ns() + DNS_FINISH_NS;
	uint32_t i;

	if ((!e->rdns && !e->asn) || e->n_traces != 1)
		return;
	hs_engine_fill_names(e, e->traces[0]);
	while (!e->interrupted && !e->quit && lookups_pending(e) &&
	       hs_mono_ns() < until) {
		int ms = e->rdns ? hs_rdns_timeout_ms(e->rdns) : -1;

		if (ms < 0 || ms > 100)
			ms = 100;
		wait_events(e, ms);
		for (i = 0; i < e->n_traces; i++)
			hs_engine_fill_names(e, e->traces[i]);
	}
}

int64_t hs_engine_elapsed_ns(const struct hs_engine *e, int64_t now)
{
	int64_t paused = e->paused_ns;

	if (e->paused)
		paused += now - e->pause_began_ns;
	return now - e->begin_ns - paused;
}

void hs_engine_add_side(struct hs_engine *e, struct hs_engine_side *side)
{
	side->next = e->sides;
	e->sides = side;
}

static bool sides_busy(const struct hs_engine *e, int64_t now)
{
	const struct hs_engine_side *d;

	for (d = e->sides; d; d = d->next)
		if (d->busy(d->arg, now))
			return true;
	return false;
}

/* Whether the run has nothing left to do. */
static bool run_over(const struct hs_engine *e, int64_t now)
{
	return !e->endless && e->n_done >= e->n_traces && !sides_busy(e, now);
}

/* One turn of the loop's work, before it waits. */
static void step(struct hs_engine *e, int64_t now)
{
	struct hs_engine_side *d;

	for (d = e->sides; d; d = d->next)
		d->run(d->arg, now);
	admit_floor(e, now);
	start_due_cycles(e, now);
	send_ready(e, now);
	expire_probes(e, now);
	finish_drained(e, now);
	/* one trace: names as they come, for the screen */
	if (e->n_traces == 1)
		hs_engine_fill_names(e, e->traces[0]);
	if (!e->failed && e->obs && e->obs->changed &&
	    e->obs->changed(e->obs_arg) < 0) {
		snprintf(e->err, sizeof(e->err), "cannot write output: %s",
			 strerror(errno));
		e->failed = true;
	}
}

int hs_engine_run(struct hs_engine *e, char *err, size_t errlen)
{
	uint32_t i;

	e->begin_ns = hs_mono_ns();
	for (i = 0; i < e->n_traces; i++)
		if (e->traces[i]->state != HS_TRACE_QUEUED)
			e->traces[i]->start_ns = e->begin_ns;
	while (!e->interrupted && !e->quit && !e->failed &&
	       !run_over(e, hs_mono_ns())) {
		int64_t now = hs_mono_ns();
		int rc;

		step(e, now);
		if (e->failed || run_over(e, now))
			break;
		rc = wait_events(e, wake_ms(e, now));
		if (rc < 0) {
			snprintf(e->err, sizeof(e->err), "poll: %s",
				 strerror(-rc));
			e->failed = true;
		}
	}
	if (e->failed) {
		snprintf(err, errlen, "%s", e->err);
		return -1;
	}
	finish_names(e);
	for (i = 0; i < 2; i++)
		if (e->fam[i].tcp)
			hs_tcp_close_all(e->fam[i].tcp);
	return 0;
}

int hs_engine_init(struct hs_engine *e, struct hs_trace **traces, uint32_t n,
		   int64_t rate, char *err, size_t errlen)
{
	uint32_t i;

	e->traces = traces;
	e->n_traces = n;
	e->rx = &e->rxq[0];
	for (i = 0; i < 2; i++) /* a UDP socket's port is known: kept */
		if (!e->fam[i].sock || e->fam[i].sock->kind != HS_PROBE_UDP)
			e->fam[i].dgram_id = -1;
	e->paced = rate > 0;
	if (e->paced)
		hs_bucket_init(&e->bucket, rate, hs_bucket_default_burst(rate),
			       hs_mono_ns());
	e->ready = calloc(n ? n : 1, sizeof(*e->ready));
	e->draining = calloc(n ? n : 1, sizeof(*e->draining));
	e->fds = calloc(MAX_POLL + 2 * HS_TCP_MAX_OPEN, sizeof(*e->fds));
	e->tcp_seqs = calloc(MAX_POLL + 2 * HS_TCP_MAX_OPEN,
			     sizeof(*e->tcp_seqs));
	if (!e->ready || !e->draining || !e->fds || !e->tcp_seqs ||
	    hs_due_init(&e->due, n) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	e->max_active = MAX_ACTIVE;
	/* a tenth of a second's probes, spread over as many traces */
	e->min_active = e->paced ? (uint32_t)(rate / 10) : MAX_ACTIVE;
	if (e->min_active < MIN_ACTIVE)
		e->min_active = MIN_ACTIVE;
	if (e->min_active > MAX_ACTIVE)
		e->min_active = MAX_ACTIVE;
	for (i = 0; i < n; i++) {
		traces[i]->index = i;
		if (traces[i]->state == HS_TRACE_FAILED) {
			e->n_done++;
			continue;
		}
		if (!traces[i]->path) {
			traces[i]->state = HS_TRACE_QUEUED;
			continue;
		}
		traces[i]->state = HS_TRACE_IDLE;
		hs_due_push(&e->due, i, 0);
	}
	return 0;
}

/* A ring of cap entries (head, n) copied in order into one of new_cap
 * entries, its head then 0: NULL when memory runs out (ring kept). */
static uint32_t *ring_grow(uint32_t *ring, uint32_t cap, uint32_t *head,
			   uint32_t n, uint32_t new_cap)
{
	uint32_t *grown = calloc(new_cap, sizeof(*grown));
	uint32_t i;

	if (!grown)
		return NULL;
	for (i = 0; i < n; i++)
		grown[i] = ring[(*head + i) % cap];
	*head = 0;
	free(ring);
	return grown;
}

int hs_engine_add(struct hs_engine *e, struct hs_trace *t)
{
	uint32_t n = e->n_traces + 1;
	struct hs_trace **traces = realloc(e->traces, n * sizeof(*traces));
	uint32_t *ready, *draining;

	if (!traces)
		return -1;
	e->traces = traces;
	ready = ring_grow(e->ready, e->n_traces, &e->ready_head, e->ready_n, n);
	if (!ready)
		return -1;
	e->ready = ready;
	draining = ring_grow(e->draining, e->n_traces, &e->drain_head,
			     e->drain_n, n);
	if (!draining)
		return -1;
	e->draining = draining;
	if (hs_due_grow(&e->due, n) < 0)
		return -1;
	t->index = e->n_traces;
	traces[e->n_traces++] = t;
	if (t->state == HS_TRACE_FAILED)
		e->n_done++;
	else /* begun in its turn, as the first ones were */
		t->state = HS_TRACE_QUEUED;
	return 0;
}

void hs_engine_retire(struct hs_engine *e, struct hs_trace *t)
{
	if (hs_trace_finished(t))
		return;
	if (t->admitted)
		e->n_active--;
	t->state = HS_TRACE_DONE;
	t->done_ns = hs_mono_ns();
	e->n_done++;
	hs_path_free(t->path);
	t->path = NULL;
}

void hs_engine_free(struct hs_engine *e)
{
	free(e->ready);
	free(e->draining);
	free(e->fds);
	free(e->tcp_seqs);
	hs_due_free(&e->due);
	e->ready = e->draining = NULL;
	e->fds = NULL;
	e->tcp_seqs = NULL;
}
