/* The live screen's keys, as mtr's: each one changes the view or asks
 * the run to pause, resume, reset or quit. */
#include <curses.h>
#include <string.h>

#include "core/clock.h"
#include "output/fields.h"
#include "tui/state.h"

#define CTRL_L 12

void hs_tui_say(struct hs_tui *t, const char *msg)
{
	snprintf(t->message, sizeof(t->message), "%s", msg);
	t->message_until = hs_mono_ns() + 4 * HS_NS_PER_SEC;
	t->dirty = true;
}

/* 'o': letters typed at the prompt become the new field order. */
static void edit_key(struct hs_tui *t, int c)
{
	size_t n = strlen(t->edit);

	if (c == '\n' || c == KEY_ENTER || c == '\r') {
		t->editing = false;
		if (n && strspn(t->edit, "LDRSNBAWVGJMXI ") == n) {
			strcpy(t->fields, t->edit);
			hs_tui_say(t, "field order changed");
		} else {
			hs_tui_say(t, "field order unchanged: use the letters "
				   "L D R S N B A W V G J M X I or space");
		}
	} else if (c == 27) {
		t->editing = false;
	} else if ((c == KEY_BACKSPACE || c == 127 || c == 8) && n) {
		t->edit[n - 1] = '\0';
	} else if (c >= ' ' && c < 127 && n < HS_MAX_FIELDS) {
		t->edit[n] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
		t->edit[n + 1] = '\0';
	}
	t->dirty = true;
}

static enum hs_run_command view_key(struct hs_tui *t, int c)
{
	switch (c) {
	case 'q': case 'Q':
		return HS_CMD_QUIT;
	case 'p': case 'P':
		t->paused = true;
		hs_tui_say(t, "paused - press Space to resume");
		return HS_CMD_PAUSE;
	case ' ':
		t->paused = false;
		hs_tui_say(t, "resumed");
		return HS_CMD_RESUME;
	case 'r': case 'R':
		hs_tui_say(t, "statistics reset");
		return HS_CMD_RESET;
	case 'd': case 'D':
		t->mode = (enum hs_tui_mode)((t->mode + 1) % HS_TUI_MODES);
		break;
	case 'n': case 'N':
		t->names = !t->names;
		hs_tui_say(t, t->names ? "showing names" : "showing addresses");
		break;
	case 'j': case 'J':
		t->jitter = !t->jitter;
		if (t->jitter) {
			strcpy(t->latency_fields, t->fields);
			strcpy(t->fields, HS_TUI_JITTER_FIELDS);
		} else {
			strcpy(t->fields, t->latency_fields);
		}
		break;
	case 'o': case 'O':
		t->editing = true;
		t->edit[0] = '\0';
		break;
	case 'e': case 'E':
		t->mpls = !t->mpls;
		hs_tui_say(t, t->mpls ? "showing MPLS labels (from routers "
			   "that send them; needs raw sockets)" :
			   "MPLS labels hidden");
		break;
	case 'h': case 'H': case '?':
		t->help = !t->help;
		break;
	case CTRL_L:
		clearok(curscr, TRUE);
		break;
	case KEY_RESIZE:
		break;
	default:
		if (t->help) /* any other key leaves the help page */
			t->help = false;
		return HS_CMD_NONE;
	}
	t->dirty = true;
	return HS_CMD_NONE;
}

/* Called when the input is readable (or hung up).  No key at all then
 * means its end: /dev/null, a closed pipe, a terminal gone. */
enum hs_run_command hs_tui_input(struct hs_tui *t)
{
	enum hs_run_command cmd = HS_CMD_NONE;
	int c, keys = 0;

	while ((c = getch()) != ERR) {
		enum hs_run_command k;

		keys++;
		t->dirty = true;
		if (t->editing) {
			edit_key(t, c);
			continue;
		}
		k = view_key(t, c);
		if (k != HS_CMD_NONE)
			cmd = k;
		if (cmd == HS_CMD_QUIT)
			break;
	}
	return keys ? cmd : HS_CMD_INPUT_ENDED;
}
