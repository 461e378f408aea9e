// SPDX-License-Identifier: MIT
/*
 * nft -e: the objects the kernel echoes back (NLM_F_ECHO) when it commits
 * a transaction, printed one per line as nft does ("add rule inet t c
 * tcp dport 22 accept"), then the new generation.
 *
 * The echoed messages are kept in a kernel-state snapshot, so sets,
 * elements, objects and rules are printed by the listing's own printers;
 * this file only frames them.  The framing is nft's monitor format, which
 * is not the listing's: one line per object, blocks as "{ a; b; }", no
 * table or chain comments, no chain devices.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "../obj/objects.h"

struct echo_item {
	uint16_t type;       /* NFT_MSG_* */
	uint16_t flags;      /* the echoed message's nlmsg_flags */
	size_t rec;          /* its record in the snapshot (objects) */
};

struct nfk_echo {
	struct nfk_kstate ks;
	struct echo_item *v;
	size_t n, cap;
	uint32_t genid, pid;
	char proc[64];
};

int nfk_echo_new(struct nfk_echo **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void nfk_echo_free(struct nfk_echo *e)
{
	if (!e)
		return;
	for (int k = 0; k < KS_NKINDS; k++) {
		free(e->ks.k[k].v);
		free(e->ks.k[k].arena);
	}
	free(e->ks.sets);
	free(e->v);
	free(e);
}

static int push(struct nfk_echo *e, const struct echo_item *it)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		struct echo_item *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n++] = *it;
	return 0;
}

static void gen_parse(struct nfk_echo *e, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NFTA_GEN_MAX + 1];
	const void *attrs;
	size_t len;

	attrs = nfk_msg_attrs(nlh, &len);
	if (!attrs || nfk_attr_index(attrs, len, tb, NFTA_GEN_MAX) < 0)
		memset(tb, 0, sizeof(tb));
	e->genid = nfk_tb_uint(&nfk_gen_schema, tb, NFTA_GEN_ID, 0);
	e->pid = nfk_tb_uint(&nfk_gen_schema, tb, NFTA_GEN_PROC_PID, 0);
	snprintf(e->proc, sizeof(e->proc), "%s", nfk_tb_str(tb, NFTA_GEN_PROC_NAME, ""));
}

int nfk_echo_collect(const struct nlmsghdr *nlh, void *arg)
{
	struct nfk_echo *e = arg;
	struct echo_item it = { .type = nlh->nlmsg_type & 0xff, .flags = nlh->nlmsg_flags };
	int ret;

	if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_NFTABLES)
		return 0;
	if (it.type == NFT_MSG_NEWGEN) {
		gen_parse(e, nlh);
	} else {
		ret = ks_append_msg(&e->ks, nlh, &it.rec);
		/* Not an object we print, or malformed: nothing to show. */
		if (ret == -ENOENT || ret == -EINVAL || ret == -EBADMSG)
			return 0;
		if (ret < 0)
			return ret;
	}
	return push(e, &it);
}

/* ---- printing ------------------------------------------------------------ */

static const char *verb(const struct echo_item *it)
{
	if (it->type == NFT_MSG_DELRULE)
		return "delete";
	if (it->type == NFT_MSG_NEWRULE)
		return it->flags & NLM_F_APPEND ? "add" : "insert";
	return it->flags & NLM_F_EXCL ? "create" : "add";
}

static const char *family(const struct nfk_echo *e, enum ks_kind kind, const struct echo_item *it)
{
	const char *s = nfk_family_name(e->ks.k[kind].v[it->rec].family);

	return s ? s : "unknown";
}

static void print_comment(FILE *f, const struct nlattr *ud, unsigned type)
{
	const uint8_t *c;
	size_t len;

	if (!ud)
		return;
	c = ks_udata_get(nfk_attr_data(ud), nfk_attr_len(ud), type, &len);
	if (c && len)
		fprintf(f, " comment \"%.*s\"", (int)strnlen((const char *)c, len), (const char *)c);
}

/* How a listing block's lines end in nft's one-line form.  SEMI_LAST
 * ends the block with ';' even when it has no lines ("{; }"). */
enum semi { SEMI_NONE, SEMI_EACH, SEMI_LAST };

/* Re-flows lines printed for a listing ("\t\ttype x\n...") as " a; b;",
 * leaving out the first and last lines when the block has its header. */
static void print_flat(FILE *f, char *text, bool framed, enum semi semi)
{
	char *lines[128];
	size_t n = 0, first, last;

	for (char *p = text, *nl; p && *p && n < 128; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lines[n++] = p + strspn(p, "\t");
	}
	first = framed ? 1 : 0;
	last = framed && n ? n - 1 : n;
	for (size_t i = first; i < last; i++)
		fprintf(f, " %s%s", lines[i],
			semi == SEMI_EACH || (semi == SEMI_LAST && i + 1 == last) ? ";" : "");
	if (semi == SEMI_LAST && first >= last)
		fputc(';', f);
}

typedef size_t (*echo_print_fn)(FILE *f, const struct nfk_echo *e, size_t i,
				const struct nfk_list_opts *o);

static size_t print_table(FILE *f, const struct nfk_echo *e, size_t i,
			  const struct nfk_list_opts *o)
{
	const struct echo_item *it = &e->v[i];
	const struct nlattr *tb[NFTA_TABLE_MAX + 1];

	ks_index(&e->ks, KS_TABLE, it->rec, tb, NFTA_TABLE_MAX);
	fprintf(f, "%s table %s %s", verb(it), family(e, KS_TABLE, it),
		nfk_tb_str(tb, NFTA_TABLE_NAME, ""));
	if (nfk_tb_uint(&nfk_table_schema, tb, NFTA_TABLE_FLAGS, 0) & NFT_TABLE_F_DORMANT)
		fputs(" { flags dormant; }", f);
	ks_print_handle(f, o, &nfk_table_schema, tb, NFTA_TABLE_HANDLE);
	fputc('\n', f);
	return 1;
}

static size_t print_chain(FILE *f, const struct nfk_echo *e, size_t i,
			  const struct nfk_list_opts *o)
{
	const struct echo_item *it = &e->v[i];
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1], *ht[NFTA_HOOK_MAX + 1];
	unsigned fam = e->ks.k[KS_CHAIN].v[it->rec].family;

	ks_index(&e->ks, KS_CHAIN, it->rec, tb, NFTA_CHAIN_MAX);
	fprintf(f, "%s chain %s %s %s", verb(it), family(e, KS_CHAIN, it),
		nfk_tb_str(tb, NFTA_CHAIN_TABLE, ""), nfk_tb_str(tb, NFTA_CHAIN_NAME, ""));
	if (tb[NFTA_CHAIN_HOOK]) {
		uint32_t hooknum;
		const char *hook;

		if (nfk_attr_index(nfk_attr_data(tb[NFTA_CHAIN_HOOK]), nfk_attr_len(tb[NFTA_CHAIN_HOOK]),
				   ht, NFTA_HOOK_MAX) < 0)
			memset(ht, 0, sizeof(ht));
		hooknum = nfk_tb_uint(&nfk_hook_schema, ht, NFTA_HOOK_HOOKNUM, 0);
		hook = nfk_hook_name(fam, hooknum);
		fprintf(f, " { type %s hook %s priority ", nfk_tb_str(tb, NFTA_CHAIN_TYPE, "filter"),
			hook ? hook : "unknown");
		nfk_prio_print(fam, hooknum, (int)nfk_tb_uint(&nfk_hook_schema, ht, NFTA_HOOK_PRIORITY, 0), o->print, f);
		fprintf(f, "; policy %s; }",
			nfk_tb_uint(&nfk_chain_schema, tb, NFTA_CHAIN_POLICY, NF_ACCEPT) == NF_DROP ? "drop" : "accept");
	}
	ks_print_handle(f, o, &nfk_chain_schema, tb, NFTA_CHAIN_HANDLE);
	fputc('\n', f);
	return 1;
}

static size_t print_set(FILE *f, const struct nfk_echo *e, size_t i,
			const struct nfk_list_opts *o)
{
	const struct echo_item *it = &e->v[i];
	const struct ks_set *st = &e->ks.sets[it->rec];
	struct nfk_list_opts lo = *o;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	/* Anonymous sets show up inside their rule. */
	if (st->info.flags & NFT_SET_ANONYMOUS)
		return 1;
	fprintf(f, "%s %s %s %s %s {", verb(it),
		st->info.flags & (NFT_SET_MAP | NFT_SET_OBJECT) ? "map" : "set",
		family(e, KS_SET, it), st->table, st->info.name);
	if (o->handle)
		fprintf(f, " # handle %" PRIu64, st->handle);
	/* The elements follow as messages of their own. */
	lo.handle = false;
	lo.terse = true;
	m = open_memstream(&buf, &len);
	if (m) {
		ks_list_set(m, &e->ks, st, &lo);
		fclose(m);
		print_flat(f, buf, true, SEMI_EACH);
		free(buf);
	}
	fputs(" } \n", f);
	return 1;
}

/* Which kinds of interval elements (start, end) one element record holds. */
enum { HAS_START = 1, HAS_END = 2 };

static unsigned elem_ends(const struct nfk_kstate *ks, size_t rec)
{
	const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1];
	unsigned has = 0;

	ks_index(ks, KS_ELEM, rec, tb, NFTA_SET_ELEM_LIST_MAX);
	if (!tb[NFTA_SET_ELEM_LIST_ELEMENTS])
		return 0;
	nfk_attr_for_each(a, rem, nfk_attr_data(tb[NFTA_SET_ELEM_LIST_ELEMENTS]),
			  nfk_attr_len(tb[NFTA_SET_ELEM_LIST_ELEMENTS])) {
		const struct nlattr *et[NFTA_SET_ELEM_MAX + 1];

		if (nfk_attr_index(nfk_attr_data(a), nfk_attr_len(a), et, NFTA_SET_ELEM_MAX) < 0)
			continue;
		has |= nfk_tb_uint(&nfk_setelem_schema, et, NFTA_SET_ELEM_FLAGS, 0) & NFT_SET_ELEM_INTERVAL_END ?
		       HAS_END : HAS_START;
	}
	return has;
}

static size_t print_elem(FILE *f, const struct nfk_echo *e, size_t i,
			 const struct nfk_list_opts *o)
{
	const struct echo_item *it = &e->v[i], *next = i + 1 < e->n ? &e->v[i + 1] : NULL;
	const struct ks_rec *r = &e->ks.k[KS_ELEM].v[it->rec];
	struct ks_set one;
	size_t used = 1;

	if (r->set >= e->ks.nsets || e->ks.sets[r->set].info.flags & NFT_SET_ANONYMOUS)
		return 1;
	one = e->ks.sets[r->set];
	/* The kernel echoes an interval's start and end one by one (and the
	 * end before the first interval on its own); nft prints each
	 * interval once. */
	if (one.info.flags & NFT_SET_INTERVAL) {
		if (elem_ends(&e->ks, it->rec) != HAS_START)
			return 1;
		if (next && next->type == NFT_MSG_NEWSETELEM && next->rec == it->rec + 1 &&
		    e->ks.k[KS_ELEM].v[next->rec].set == r->set &&
		    elem_ends(&e->ks, next->rec) == HAS_END)
			used = 2;
	}
	one.elem_first = (uint32_t)it->rec;
	one.elem_n = (uint32_t)used;
	fprintf(f, "%s element %s %s %s ", verb(it), family(e, KS_ELEM, it), one.table,
		one.info.name);
	ks_print_elements(f, &e->ks, &one, o, false, "");
	fputc('\n', f);
	return used;
}

static size_t print_obj(FILE *f, const struct nfk_echo *e, size_t i,
			const struct nfk_list_opts *o)
{
	/* Where nft ends an object's lines with ';' in this form. */
	static const enum semi semis[] = {
		[NFT_OBJECT_CT_HELPER] = SEMI_EACH, [NFT_OBJECT_CT_TIMEOUT] = SEMI_EACH,
		[NFT_OBJECT_CT_EXPECT] = SEMI_EACH, [NFT_OBJECT_SYNPROXY] = SEMI_LAST,
	};
	const struct echo_item *it = &e->v[i];
	const struct nlattr *tb[NFTA_OBJ_MAX + 1];
	char *buf = NULL;
	size_t len = 0;
	uint32_t type;
	FILE *m;

	ks_index(&e->ks, KS_OBJ, it->rec, tb, NFTA_OBJ_MAX);
	type = nfk_tb_uint(&nfk_obj_schema, tb, NFTA_OBJ_TYPE, 0);
	fprintf(f, "%s %s %s %s %s {", verb(it), ks_obj_type_name(type), family(e, KS_OBJ, it),
		nfk_tb_str(tb, NFTA_OBJ_TABLE, ""), nfk_tb_str(tb, NFTA_OBJ_NAME, ""));
	ks_print_handle(f, o, &nfk_obj_schema, tb, NFTA_OBJ_HANDLE);
	print_comment(f, tb[NFTA_OBJ_USERDATA], KS_UDATA_OBJ_COMMENT);
	m = open_memstream(&buf, &len);
	if (m) {
		ks_print_obj_body(m, type, tb[NFTA_OBJ_DATA], o, "");
		fclose(m);
		print_flat(f, buf, false,
			   type < sizeof(semis) / sizeof(semis[0]) ? semis[type] : SEMI_NONE);
		free(buf);
	}
	fputs(" } \n", f);
	return 1;
}

static size_t print_rule(FILE *f, const struct nfk_echo *e, size_t i,
			 const struct nfk_list_opts *o)
{
	const struct echo_item *it = &e->v[i];
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	int fam = e->ks.k[KS_RULE].v[it->rec].family;
	const char *table;
	uint64_t h;

	ks_index(&e->ks, KS_RULE, it->rec, tb, NFTA_RULE_MAX);
	table = nfk_tb_str(tb, NFTA_RULE_TABLE, "");
	fprintf(f, "%s rule %s %s %s", verb(it), family(e, KS_RULE, it), table,
		nfk_tb_str(tb, NFTA_RULE_CHAIN, ""));
	if (it->type == NFT_MSG_DELRULE) {
		if (nfk_schema_get_uint(&nfk_rule_schema, tb[NFTA_RULE_HANDLE], &h))
			fprintf(f, " handle %" PRIu64, h);
		fputc('\n', f);
		return 1;
	}
	/* The kernel says which rule this one follows. */
	if (nfk_schema_get_uint(&nfk_rule_schema, tb[NFTA_RULE_POSITION], &h))
		fprintf(f, " handle %" PRIu64, h);
	fputc(' ', f);
	if (tb[NFTA_RULE_EXPRESSIONS])
		nfk_rule_decompile(f, &e->ks, fam, table, nfk_attr_data(tb[NFTA_RULE_EXPRESSIONS]),
				   nfk_attr_len(tb[NFTA_RULE_EXPRESSIONS]), o);
	print_comment(f, tb[NFTA_RULE_USERDATA], KS_UDATA_RULE_COMMENT);
	ks_print_handle(f, o, &nfk_rule_schema, tb, NFTA_RULE_HANDLE);
	fputc('\n', f);
	return 1;
}

static size_t print_gen(FILE *f, const struct nfk_echo *e, size_t i,
			const struct nfk_list_opts *o)
{
	(void)i;
	(void)o;
	fprintf(f, "# new generation %u by process %u (%s)\n", e->genid, e->pid, e->proc);
	return 1;
}

static const struct {
	uint16_t type;
	echo_print_fn print;
} printers[] = {
	{ NFT_MSG_NEWTABLE, print_table }, { NFT_MSG_NEWCHAIN, print_chain },
	{ NFT_MSG_NEWSET, print_set }, { NFT_MSG_NEWSETELEM, print_elem },
	{ NFT_MSG_NEWOBJ, print_obj }, { NFT_MSG_NEWRULE, print_rule },
	{ NFT_MSG_DELRULE, print_rule }, { NFT_MSG_NEWGEN, print_gen },
};

int nfk_echo_print(FILE *f, struct nfk_echo *e, const struct nfk_kstate *base,
		   const struct nfk_list_opts *lo)
{
	struct nfk_list_opts eo = *lo, *o = &eo;
	int ret;

	eo.kernel_order = true;

	/* Appended after the echoed sets, so lookups by name find those first. */
	for (size_t i = 0; base && i < base->k[KS_SET].n; i++) {
		ret = ks_append_rec(&e->ks, KS_SET, base, i);
		if (ret < 0 && ret != -EINVAL)
			return ret;
	}
	ret = ks_sets_build(&e->ks);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < e->n;) {
		size_t used = 1;

		for (size_t p = 0; p < sizeof(printers) / sizeof(printers[0]); p++)
			if (printers[p].type == e->v[i].type)
				used = printers[p].print(f, e, i, o);
		i += used;
	}
	return 0;
}
