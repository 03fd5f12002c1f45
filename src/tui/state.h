/* The live screen's state, shared by its key handling and its drawing. */
#ifndef HS_TUI_STATE_H
#define HS_TUI_STATE_H

#include "analysis/diagnose.h"
#include "cli/options.h"
#include "tui/pace.h"
#include "tui/tui.h"

#define HS_TUI_JITTER_FIELDS "DR AGJMXI" /* mtr's 'j' columns */

struct hs_tui {
	bool open;
	bool color;
	bool utf8;
	enum hs_tui_mode mode;
	bool names;		/* 'n': show DNS names */
	bool jitter;		/* 'j': jitter columns */
	bool mpls;		/* 'e': MPLS labels under hops */
	bool help;		/* 'h' or '?': the help page */
	bool paused;
	bool dirty;		/* redraw now, not at the next tick */
	bool editing;		/* 'o': typing a field order */
	char fields[HS_MAX_FIELDS + 1];
	char latency_fields[HS_MAX_FIELDS + 1]; /* kept while 'j' shows jitter */
	char edit[HS_MAX_FIELDS + 1];
	char message[160];
	int64_t message_until;
	int64_t last_draw;
	struct hs_diagnosis diag;
	struct hs_diag_pace diag_pace; /* when diag is redone */
};

void hs_tui_say(struct hs_tui *t, const char *msg);

#endif
