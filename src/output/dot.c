/*
 * The MDA's diamond as a Graphviz digraph (--dot): a node per router,
 * named by its hop and place (h3r1: our own text), labelled with its
 * address and name; an edge per link, labelled with its flows.  Names
 * come from reverse DNS, hostile input: a label holds printable ASCII
 * only, its quotes and backslashes escaped, so it cannot end the string
 * or start an escape of DOT's own (\n, \l).
 */
#include "output/mda_out.h"

#include "core/text.h"
#include "mda/diamond.h"

void hs_dot_quote(FILE *fp, const char *s)
{
	char clean[512];
	const char *c;

	hs_sanitize(s, clean, sizeof(clean));
	fputc('"', fp);
	for (c = clean; *c; c++) {
		if (*c == '"' || *c == '\\')
			fputc('\\', fp);
		fputc(*c, fp);
	}
	fputc('"', fp);
}

static void dot_router(FILE *fp, const struct hs_mda *m, int ttl, int r)
{
	const struct hs_mda_responder *resp = &m->hops[ttl].responders[r];
	char ip[HS_ADDRSTRLEN], label[HS_MDA_NAME_MAX + HS_ADDRSTRLEN + 4];

	hs_addr_str(&resp->addr, ip);
	/* a space, not DOT's \n: the label is one escaped string */
	snprintf(label, sizeof(label), "%s%s%s", ip, resp->name[0] ? " " : "",
		 resp->name);
	fprintf(fp, "    h%dr%d [label=", ttl, r);
	hs_dot_quote(fp, label);
	fprintf(fp, "%s];\n", resp->end ? ", shape=doubleoctagon" : "");
}

static void dot_hop(FILE *fp, const struct hs_mda *m, int ttl)
{
	const struct hs_mda_hop *h = &m->hops[ttl];
	int r;

	if (!h->n_resp) {
		fprintf(fp, "  h%d [label=\"%d: no answer\", shape=plaintext];\n",
			ttl, ttl);
		return;
	}
	fprintf(fp, "  subgraph hop%d {\n    rank=same;\n", ttl);
	for (r = 0; r < h->n_resp; r++)
		dot_router(fp, m, ttl, r);
	fputs("  }\n", fp);
}

static void dot_link(void *arg, const struct hs_mda_link *l)
{
	FILE *fp = arg;

	fprintf(fp, "  h%dr%d -> h%dr%d [label=\"", l->ttl, l->from,
		l->ttl + 1, l->to);
	hs_mda_print_flows(fp, l->flows, l->n_flows);
	fputs("\"];\n", fp);
}

int hs_mda_write_dot(FILE *fp, const struct hs_mda_view *v)
{
	const struct hs_mda *m = v->m;
	int ttl;

	fputs("digraph mda {\n  label=", fp);
	hs_dot_quote(fp, v->target);
	fputs(";\n  node [shape=box];\n", fp);
	for (ttl = m->first_ttl; ttl <= m->last_ttl; ttl++)
		dot_hop(fp, m, ttl);
	for (ttl = m->first_ttl; ttl < m->last_ttl; ttl++)
		hs_mda_each_link(m, ttl, dot_link, fp);
	fputs("}\n", fp);
	fflush(fp);
	return ferror(fp) ? -1 : 0;
}
