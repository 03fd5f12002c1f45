/* The live screen's state, shared by its key handling and its drawing. */
#ifndef HS_TUI_STATE_H
#define HS_TUI_STATE_H

#include "analysis/diagnose.h"
#include "cli/options.h"
#include "tui/pace.h"
#include "tui/tui.h"

#define HS_TUI_JITTER_FIELDS "DR AGJMXI" /* mtr's 'j' columns */
#define HS_TUI_EDIT_MAX 32
#define HS_TUI_LIST (-1) /* shown: the list of targets */

/* What is being typed at the bottom line. */
enum hs_tui_prompt {
	HS_PROMPT_NONE,
	HS_PROMPT_FIELDS,    /* 'o' */
	HS_PROMPT_INTERVAL,  /* 'i' */
	HS_PROMPT_CYCLES,    /* 'c' */
	HS_PROMPT_FIRST_TTL, /* 'f' */
	HS_PROMPT_MAX_TTL,   /* 'm' */
	HS_PROMPT_PSIZE,     /* 's' */
	HS_PROMPT_PATTERN,   /* 'b' */
	HS_PROMPT_TOS,	     /* 'Q' */
};

/* A scrolled list: hops of a trace, or the targets. */
struct hs_tui_scroll {
	int top;     /* the first item shown */
	int page;    /* how many were shown whole last time */
	bool follow; /* keep the last item in view */
};

/* One target in the list: its verdict, redone as its pace allows. */
struct hs_tui_row {
	struct hs_diag_pace pace;
	enum hs_verdict verdict;
	bool known;
};

struct hs_tui {
	bool open;
	bool color;
	bool utf8;
	const struct options *opt; /* what the run does now */
	enum hs_tui_mode mode;
	bool dns;		/* names can be had (no -n) */
	bool names;		/* 'n': show DNS names */
	bool jitter;		/* 'j': jitter columns */
	bool mpls;		/* 'e': MPLS labels under hops */
	bool flows;		/* 'l': each flow's row under a hop where
				 * the flows (--flows) reach different routers */
	bool owners;		/* 'z': each hop's owner before its name */
	int owner_field;	/* 'y': which of it (mtr's -y numbers) */
	bool problem_said;	/* the owners' problem is on the message line */
	bool help;		/* 'h' or '?': the help page */
	bool paused;
	bool dirty;		/* redraw now, not at the next tick */
	enum hs_tui_prompt prompt;
	char fields[HS_MAX_FIELDS + 1];
	char latency_fields[HS_MAX_FIELDS + 1]; /* kept while 'j' shows jitter */
	char edit[HS_TUI_EDIT_MAX + 1];
	char message[200];
	int64_t message_until;
	int64_t last_draw;
	struct hs_tui_scroll hops;
	/* several targets: the list, the one selected and the one shown */
	uint32_t n;
	struct hs_tui_row *rows;
	struct hs_tui_scroll list;
	int selected;
	int shown;		/* a target, or HS_TUI_LIST */
	struct hs_diagnosis diag; /* of target diag_of, for the bottom lines */
	struct hs_diag_pace diag_pace;
	int diag_of;
	struct hs_diagnosis scratch; /* the list's verdicts are worked out here */
};

void hs_tui_say(struct hs_tui *t, const char *msg);

#endif
