/*
 * A STAMP session beside a report run (--stamp HOST; --two-way runs one
 * to its target the same way): the host resolved and the socket opened
 * before the first probe, the session attached to the engine so that the
 * run ends only once the session is done, and its figures (or why there
 * are none) for the report afterwards.
 *
 *	struct hs_stamp_side st;
 *	rc = hs_stamp_side_open(&st, &cfg, err, errlen); // before probes
 *	hs_stamp_side_attach(&st, &engine);              // before the run
 *	hs_engine_run(&engine, ...);
 *	ok = hs_stamp_side_finish(&st) == 0;             // st.view filled
 *	info.one_way = &st.view;                          // the report's
 *	... write the report ...
 *	hs_stamp_side_free(&st);
 */
#ifndef HS_MODE_STAMP_SIDE_H
#define HS_MODE_STAMP_SIDE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "net/addr.h"
#include "stamp/oneway.h"
#include "stamp/session.h"
#include "stamp/stamp_out.h"

struct hs_stamp_side_cfg {
	const char *host;	/* the reflector: a name or an address */
	int port;
	int family;		/* AF_UNSPEC, or -4/-6's */
	const struct hs_addr *source; /* -a, or NULL/unset */
	const struct hs_stamp_key *key; /* NULL: unauthenticated */
	double interval_s;	/* -i */
	uint32_t count;		/* -c */
	int psize;		/* -s: the packets' IP size (see session.h) */
	double gracetime_s;	/* -G: the wait after the last is at most
				 * this and 5 s */
	bool reflector_from_zero; /* hopscope's own reflector (--two-way) */
};

struct hs_stamp_side {
	struct hs_stamp_sess *sess;
	struct hs_engine_side side;
	struct hs_addr peer;
	char peer_text[HS_ADDRSTRLEN];
	struct hs_stamp_oneway ow;
	char why[320];
	struct hs_stamp_view view; /* after finish: what the report shows */
};

/* Resolve cfg->host and open the session's socket.  0, or the exit
 * status with a one-line message in err: 2 when the host does not
 * resolve (bad input, before any probe), 1 when no socket opens. */
int hs_stamp_side_open(struct hs_stamp_side *s,
		       const struct hs_stamp_side_cfg *cfg, char *err,
		       size_t errlen);
/* The session runs beside e's traces from its next hs_engine_run. */
void hs_stamp_side_attach(struct hs_stamp_side *s, struct hs_engine *e);
/* After the run: s->view filled in.  0 with figures, -1 without them
 * (s->view.error, s->why say why). */
int hs_stamp_side_finish(struct hs_stamp_side *s);
void hs_stamp_side_free(struct hs_stamp_side *s);

#endif
