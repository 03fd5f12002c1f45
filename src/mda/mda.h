/*
 * The multipath detection algorithm (--mda) for one path, as a state
 * machine with no clock and no sockets: the engine asks it which probe
 * to send next (a TTL and a flow) and tells it what became of each.
 *
 * Hop by hop, from the first TTL: a hop is probed on new flows until the
 * stopping rule (stop.h, alpha 0.05) says every router there has been
 * seen: with n routers heard, the hop is done once n_needed(n) flows have
 * answered there.  The flows wanted are sent at once, and more when a new
 * router raises the count.  A lost probe is sent again on its flow, up to
 * HS_MDA_TRIES probes in all, at a hop where some router has answered
 * (where none has, the hop is taken as silent, not lossy); a flow that
 * never answered is "silent", and a hop stops once as many flows are
 * silent as it would need answered (a hop where nobody answers: 6 flows,
 * 6 probes, one timeout).  Then the next hop,
 * until a hop where the destination answered (or an "unreachable" ended
 * the path), max_ttl, or max_unknown silent hops in a row.
 *
 * Flows are numbered 0..HS_MDA_MAX_FLOWS-1 and keep their number from hop
 * to hop, so a flow heard at two consecutive hops gives a link.  A hop
 * first probes the flows that answered at the hop before, taking them in
 * turn from each router there, so every router is followed on; then
 * flows not yet used.
 */
#ifndef HS_MDA_MDA_H
#define HS_MDA_MDA_H

#include <stdbool.h>
#include <stdint.h>

#include "net/addr.h"

#define HS_MDA_ALPHA 0.05
#define HS_MDA_MAX_FLOWS 256	 /* flows a hop may probe (the engine's
				  * slot keeps a flow in a byte) */
#define HS_MDA_TRIES 3		 /* probes a flow gets at a hop, at most */
#define HS_MDA_MAX_RESPONDERS 32 /* routers kept a hop; more are counted
				  * as seen but not drawn */
#define HS_MDA_NAME_MAX 256

enum hs_mda_flow_state {
	HS_MDA_UNUSED,	 /* not probed at this hop */
	HS_MDA_WAITING,	 /* a probe is out */
	HS_MDA_RESEND,	 /* its probe was lost: to send again */
	HS_MDA_ANSWERED, /* resp says who */
	HS_MDA_SILENT,	 /* HS_MDA_TRIES probes, no answer */
};

struct hs_mda_responder {
	struct hs_addr addr;
	char name[HS_MDA_NAME_MAX]; /* sanitised reverse DNS, or "" */
	bool end;		    /* the destination, or "unreachable" */
};

struct hs_mda_hop {
	uint8_t state[HS_MDA_MAX_FLOWS]; /* enum hs_mda_flow_state */
	uint8_t tries[HS_MDA_MAX_FLOWS];
	uint8_t resp[HS_MDA_MAX_FLOWS];	 /* ANSWERED: index into responders,
					  * or HS_MDA_MAX_RESPONDERS when
					  * past the bound */
	uint8_t order[HS_MDA_MAX_FLOWS]; /* the flows, in the order to use */
	int n_started;			 /* of order[] */
	int n_answered, n_silent, n_waiting, n_resend;
	int n_seen;			 /* routers heard, even past the bound */
	int n_resp;			 /* kept in responders[] */
	struct hs_mda_responder responders[HS_MDA_MAX_RESPONDERS];
	unsigned probes;		 /* sent at this hop, retries too */
	bool begun;
};

struct hs_mda {
	int first_ttl, max_ttl, max_unknown;
	int ttl;	     /* the hop being probed */
	int last_ttl;	     /* the last hop probed (when done) */
	int silent_run;	     /* hops in a row where nobody answered */
	bool done;
	unsigned probes;     /* sent in all */
	struct hs_mda_hop *hops; /* indexed by TTL, max_ttl + 1 */
};

/* A path probed from first_ttl to at most max_ttl, giving up after
 * max_unknown silent hops in a row.  NULL when out of memory. */
struct hs_mda *hs_mda_new(int first_ttl, int max_ttl, int max_unknown);
void hs_mda_free(struct hs_mda *m);

enum hs_mda_step {
	HS_MDA_SEND, /* send a probe at *ttl on *flow */
	HS_MDA_WAIT, /* answers are awaited before anything more is sent */
	HS_MDA_DONE, /* the path is mapped */
};

/* The next probe; on HS_MDA_SEND it counts as sent. */
enum hs_mda_step hs_mda_next(struct hs_mda *m, int *ttl, int *flow);
/* The probe at ttl on flow was answered by from; end: the destination
 * answered, or the path ends there ("unreachable").  An answer for a
 * flow already answered, or at a hop already done, is still drawn
 * when it is new. */
void hs_mda_answer(struct hs_mda *m, int ttl, int flow,
		   const struct hs_addr *from, bool end);
/* The probe at ttl on flow was lost (timed out, or could not be sent). */
void hs_mda_lost(struct hs_mda *m, int ttl, int flow);

/* The flows the rule wants answered at a hop with n routers heard. */
int hs_mda_flows_wanted(int n_seen);

#endif
