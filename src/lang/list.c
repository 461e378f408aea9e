// SPDX-License-Identifier: MIT
/*
 * The listing printer: kernel-state snapshot -> exactly what `nft list`
 * prints (tables, chains with their rules, sets and maps with their
 * elements, stateful objects), with nft's -a/-s/-t/-n options.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "../obj/objects.h"

/* What one list command selects inside a table. */
enum {
	SEL_CHAINS = 1 << 0,
	SEL_RULES = 1 << 1,
	SEL_SETS = 1 << 2,
	SEL_MAPS = 1 << 3,
	SEL_OBJS = 1 << 4,
	SEL_FLOWTABLES = 1 << 5,
	SEL_ALL = 0x3f,
};

struct sel {
	unsigned what;
	const char *name;      /* one chain/set/object, or NULL */
	uint32_t objtype;      /* SEL_OBJS: 0 = all types */
	bool compact;          /* plural lists: no blank lines between blocks */
};

struct table_ref {
	int family;
	const char *name;
	size_t rec;
};

static const char *rec_str(const struct nfk_kstate *ks, enum ks_kind k, size_t i, unsigned type)
{
	size_t len;
	const void *a = ks_attrs(ks, k, i, &len);
	const struct nlattr *at = nfk_attr_find(a, len, (uint16_t)type);
	const char *s = at ? nfk_attr_get_str(at) : NULL;

	return s ? s : "";
}

static bool in_table(const struct nfk_kstate *ks, enum ks_kind k, size_t i, unsigned tattr,
		     const struct table_ref *t)
{
	return ks->k[k].v[i].family == t->family && strcmp(rec_str(ks, k, i, tattr), t->name) == 0;
}

/* " # handle N" with -a */
void ks_print_handle(FILE *f, const struct nfk_list_opts *o, const struct nfk_schema *s,
		     const struct nlattr *const *tb, unsigned type)
{
	uint64_t v;

	if (o->handle && tb[type] && nfk_schema_get_uint(s, tb[type], &v))
		fprintf(f, " # handle %" PRIu64, v);
}

static void print_comment_udata(FILE *f, const struct nlattr *ud, unsigned type,
				const char *prefix, const char *suffix)
{
	const uint8_t *c;
	size_t clen;

	if (!ud)
		return;
	c = ks_udata_get(nfk_attr_data(ud), nfk_attr_len(ud), type, &clen);
	if (c && clen) {
		/* nft stores the comment NUL-terminated. */
		int n = (int)strnlen((const char *)c, clen);

		fprintf(f, "%scomment \"%.*s\"%s", prefix, n, (const char *)c, suffix);
	}
}

/* ---- chains and rules ------------------------------------------------- */

static int cmp_dev(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A hook's device list as nft lists it: the names sorted, bare, between
 * "devices = { " and " }" (prefix before, suffix after); or with one
 * device, (one) device "NAME". */
static void print_devs(FILE *f, const struct nlattr *devs, const char *prefix, const char *one,
		       const char *suffix)
{
	const char **v = NULL;
	size_t n = 0;

	nfk_attr_for_each(a, rem, nfk_attr_data(devs), nfk_attr_len(devs))
		n++;
	if (n && !(v = malloc(n * sizeof(*v))))
		return;
	n = 0;
	nfk_attr_for_each(a, rem, nfk_attr_data(devs), nfk_attr_len(devs))
		v[n++] = nfk_attr_get_str(a) ? nfk_attr_get_str(a) : "";
	if (n > 1)   /* (qsort takes no NULL, not even for nothing) */
		qsort(v, n, sizeof(*v), cmp_dev);
	if (n == 1 && one) {
		fprintf(f, one, v[0]);
	} else if (n) {
		fputs(prefix, f);
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%s%s", i ? ", " : "", v[i]);
		fputs(suffix, f);
	}
	free(v);
}

static void print_devices(FILE *f, const struct nlattr *hook_tb[])
{
	if (hook_tb[NFTA_HOOK_DEV])
		fprintf(f, " device \"%s\"", nfk_tb_str(hook_tb, NFTA_HOOK_DEV, ""));
	else if (hook_tb[NFTA_HOOK_DEVS])
		print_devs(f, hook_tb[NFTA_HOOK_DEVS], " devices = { ", " device \"%s\"", " }");
}

static void print_rules(FILE *f, const struct nfk_kstate *ks, const struct table_ref *t,
			const char *chain, const struct nfk_list_opts *o)
{
	for (size_t i = 0; i < ks->k[KS_RULE].n; i++) {
		const struct nlattr *tb[NFTA_RULE_MAX + 1];

		if (!in_table(ks, KS_RULE, i, NFTA_RULE_TABLE, t))
			continue;
		ks_index(ks, KS_RULE, i, tb, NFTA_RULE_MAX);
		if (strcmp(nfk_tb_str(tb, NFTA_RULE_CHAIN, ""), chain) != 0)
			continue;
		fputs("\t\t", f);
		if (tb[NFTA_RULE_EXPRESSIONS])
			nfk_rule_decompile(f, ks, t->family, t->name,
					   nfk_attr_data(tb[NFTA_RULE_EXPRESSIONS]),
					   nfk_attr_len(tb[NFTA_RULE_EXPRESSIONS]), o);
		print_comment_udata(f, tb[NFTA_RULE_USERDATA], KS_UDATA_RULE_COMMENT, " ", "");
		ks_print_handle(f, o, &nfk_rule_schema, tb, NFTA_RULE_HANDLE);
		fputc('\n', f);
	}
}

static void print_chain(FILE *f, const struct nfk_kstate *ks, const struct table_ref *t,
			size_t i, bool rules, const struct nfk_list_opts *o)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1];
	const char *name;

	ks_index(ks, KS_CHAIN, i, tb, NFTA_CHAIN_MAX);
	name = nfk_tb_str(tb, NFTA_CHAIN_NAME, "");
	fprintf(f, "\tchain %s {", name);
	ks_print_handle(f, o, &nfk_chain_schema, tb, NFTA_CHAIN_HANDLE);
	fputc('\n', f);
	print_comment_udata(f, tb[NFTA_CHAIN_USERDATA], KS_UDATA_CHAIN_COMMENT, "\t\t", "\n");
	if (tb[NFTA_CHAIN_HOOK]) {
		const struct nlattr *ht[NFTA_HOOK_MAX + 1];
		uint32_t hooknum, prio, policy;

		if (nfk_attr_index(nfk_attr_data(tb[NFTA_CHAIN_HOOK]), nfk_attr_len(tb[NFTA_CHAIN_HOOK]),
				   ht, NFTA_HOOK_MAX) < 0)
			memset(ht, 0, sizeof(ht));
		hooknum = nfk_tb_uint(&nfk_hook_schema, ht, NFTA_HOOK_HOOKNUM, 0);
		prio = nfk_tb_uint(&nfk_hook_schema, ht, NFTA_HOOK_PRIORITY, 0);
		policy = nfk_tb_uint(&nfk_chain_schema, tb, NFTA_CHAIN_POLICY, NF_ACCEPT);
		const char *hook = nfk_hook_name((unsigned)t->family, hooknum);

		fprintf(f, "\t\ttype %s hook %s", nfk_tb_str(tb, NFTA_CHAIN_TYPE, "filter"),
			hook ? hook : "unknown");
		print_devices(f, ht);
		fputs(" priority ", f);
		nfk_prio_print((unsigned)t->family, hooknum, (int)prio, o->print, f);
		fprintf(f, "; policy %s;\n", policy == NF_DROP ? "drop" : "accept");
	}
	if (rules)
		print_rules(f, ks, t, name, o);
	fputs("\t}\n", f);
}

/* ---- sets ------------------------------------------------------------- */

static void print_set_flags(FILE *f, const struct ks_set *st)
{
	static const struct { uint32_t flag; const char *name; } names[] = {
		{ NFT_SET_CONSTANT, "constant" }, { NFT_SET_INTERVAL, "interval" },
		{ NFT_SET_EVAL, "dynamic" }, { NFT_SET_TIMEOUT, "timeout" },
	};
	uint32_t fl = st->info.flags;
	const char *d = "";

	/* nft leaves "flags timeout" out when a default timeout implies it. */
	if (!(fl & (NFT_SET_CONSTANT | NFT_SET_INTERVAL | NFT_SET_EVAL)) &&
	    !((fl & NFT_SET_TIMEOUT) && !st->timeout))
		return;
	fputs("\t\tflags ", f);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (fl & names[i].flag) {
			fprintf(f, "%s%s", d, names[i].name);
			d = ",";
		}
	}
	fputc('\n', f);
}

static const char *const obj_type_names[] = {
	[NFT_OBJECT_COUNTER] = "counter", [NFT_OBJECT_QUOTA] = "quota",
	[NFT_OBJECT_CT_HELPER] = "ct helper", [NFT_OBJECT_LIMIT] = "limit",
	[NFT_OBJECT_CONNLIMIT] = "connlimit", [NFT_OBJECT_TUNNEL] = "tunnel",
	[NFT_OBJECT_CT_TIMEOUT] = "ct timeout", [NFT_OBJECT_SECMARK] = "secmark",
	[NFT_OBJECT_CT_EXPECT] = "ct expectation", [NFT_OBJECT_SYNPROXY] = "synproxy",
};

static const char *obj_type_name(uint32_t t)
{
	if (t < sizeof(obj_type_names) / sizeof(obj_type_names[0]) && obj_type_names[t])
		return obj_type_names[t];
	return "unknown";
}

/* The key's typeof, when it describes every member of the key type. */
static bool print_typeof(FILE *f, const uint8_t *ud, size_t ulen, uint32_t key_type)
{
	const struct nfk_dtype *members[16];
	int n = nfk_dtype_members(key_type, members, 16);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	bool ok;

	if (!m)
		return false;
	ok = ks_print_typeof(m, ud, ulen, false);
	fclose(m);
	if (ok && n > 1) {
		int k = 1;

		for (const char *s = buf; (s = strstr(s, " . ")); s += 3)
			k++;
		ok = k == n;
	}
	if (ok)
		fprintf(f, "\t\ttypeof %s", buf);
	free(buf);
	return ok;
}

static void print_set(FILE *f, const struct nfk_kstate *ks, const struct ks_set *st,
		      const struct nfk_list_opts *o)
{
	const uint8_t *ud = st->info.udata;
	size_t ulen = st->info.udata_len;
	bool map = st->info.flags & (NFT_SET_MAP | NFT_SET_OBJECT);
	const struct nfk_list_opts *oo = o;
	size_t tl;

	fprintf(f, "\t%s %s {", map ? "map" : "set", st->info.name);
	if (o->handle)
		fprintf(f, " # handle %" PRIu64, st->handle);
	fputc('\n', f);
	const uint8_t *di = ks_udata_get(ud, ulen, KS_UDATA_SET_DATA_INTERVAL, &tl);
	bool dinterval = (st->info.flags & NFT_SET_MAP) && di && tl == 4 &&
			 (di[0] | di[1] | di[2] | di[3]);
	/* nft lists a map with interval data by its types even when it was
	 * declared with typeof */
	if (!dinterval && ks_udata_get(ud, ulen, KS_UDATA_SET_KEY_TYPEOF, &tl) &&
	    print_typeof(f, ud, ulen, st->info.key_type)) {
	} else {
		fputs("\t\ttype ", f);
		ks_print_type(f, st->info.key_type, st->info.key_len);
	}
	if (st->info.flags & NFT_SET_MAP) {
		fputs(" : ", f);
		if (dinterval || !ks_udata_get(ud, ulen, KS_UDATA_SET_DATA_TYPEOF, &tl) ||
		    !ks_print_typeof(f, ud, ulen, true)) {
			if (dinterval)
				fputs("interval ", f);
			ks_print_type(f, st->info.data_type, st->info.data_len);
		}
	} else if (st->info.flags & NFT_SET_OBJECT) {
		fprintf(f, " : %s", obj_type_name(st->info.objtype));
	}
	fputc('\n', f);
	if (st->policy == NFT_SET_POL_MEMORY)
		fputs("\t\tpolicy memory\n", f);
	if (st->size_desc && !(st->info.flags & NFT_SET_CONSTANT))
		fprintf(f, "\t\tsize %u\n", st->size_desc);
	print_set_flags(f, st);
	if (st->expr || st->expressions) {
		struct nfk_list_opts so = *o;

		/* the set's statements are templates: no counter values */
		so.stateless = true;
		o = &so;
		fputs("\t\t", f);
		if (st->expr)
			ks_print_expr_stmt(f, ks, st->family, st->table, nfk_attr_data(st->expr),
					   nfk_attr_len(st->expr), false, o);
		else
			ks_print_expr_stmt(f, ks, st->family, st->table, nfk_attr_data(st->expressions),
					   nfk_attr_len(st->expressions), true, o);
		fputc('\n', f);
		o = oo;
	}
	if (st->timeout) {
		fputs("\t\ttimeout ", f);
		ks_print_time_flags(f, st->timeout, o->print);
		fputc('\n', f);
	}
	if (st->gc_interval) {
		fputs("\t\tgc-interval ", f);
		ks_print_time_flags(f, st->gc_interval, o->print);
		fputc('\n', f);
	}
	if (ks_udata_get(ud, ulen, KS_UDATA_SET_MERGE_ELEMENTS, &tl))
		fputs("\t\tauto-merge\n", f);
	{
		const uint8_t *c = ks_udata_get(ud, ulen, KS_UDATA_SET_COMMENT, &tl);

		if (c && tl)
			fprintf(f, "\t\tcomment \"%.*s\"\n", (int)strnlen((const char *)c, tl),
				(const char *)c);
	}
	if (!o->terse && ks_set_nelems(ks, st)) {
		fputs("\t\telements = ", f);
		ks_print_elements(f, ks, st, o, true, "\t\t");
		fputc('\n', f);
	}
	fputs("\t}\n", f);
}

/* ---- stateful objects ---------------------------------------------------- */

static void print_obj(FILE *f, const struct nfk_kstate *ks, size_t i, const struct table_ref *t,
		      const struct nfk_list_opts *o)
{
	const struct nlattr *tb[NFTA_OBJ_MAX + 1];
	uint32_t type;
	(void)t;

	ks_index(ks, KS_OBJ, i, tb, NFTA_OBJ_MAX);
	type = nfk_tb_uint(&nfk_obj_schema, tb, NFTA_OBJ_TYPE, 0);
	fprintf(f, "\t%s %s {", obj_type_name(type), nfk_tb_str(tb, NFTA_OBJ_NAME, ""));
	ks_print_handle(f, o, &nfk_obj_schema, tb, NFTA_OBJ_HANDLE);
	fputc('\n', f);
	print_comment_udata(f, tb[NFTA_OBJ_USERDATA], KS_UDATA_OBJ_COMMENT, "\t\t", "\n");
	ks_print_obj_body(f, type, tb[NFTA_OBJ_DATA], o, "\t\t");
	fputs("\t}\n", f);
}

/* A set nft has no type for: left out, as nft leaves it out. */
static uint32_t set_unknown(const struct ks_set *st)
{
	return nfk_set_unknown_type(st->info.flags, st->info.key_type, st->info.data_type);
}

/* ---- tables ----------------------------------------------------------- */

static bool obj_selected(const struct sel *s, uint32_t type, const char *name)
{
	if (!(s->what & SEL_OBJS))
		return false;
	if (s->objtype && s->objtype != type)
		return false;
	return !s->name || strcmp(s->name, name) == 0;
}

static void print_table(FILE *f, const struct nfk_kstate *ks, const struct table_ref *t,
			const struct sel *s, const struct nfk_list_opts *o)
{
	const struct nlattr *tb[NFTA_TABLE_MAX + 1];
	const char *delim = "";
	const char *sep = s->compact ? "" : "\n";

	ks_index(ks, KS_TABLE, t->rec, tb, NFTA_TABLE_MAX);
	fprintf(f, "table %s %s {", nfk_family_name((unsigned)t->family), t->name);
	/* nft gives the table's handle only when it lists the whole table */
	if (s->what == SEL_ALL)
		ks_print_handle(f, o, &nfk_table_schema, tb, NFTA_TABLE_HANDLE);
	fputc('\n', f);
	if (s->what == SEL_ALL) {
		if (nfk_tb_uint(&nfk_table_schema, tb, NFTA_TABLE_FLAGS, 0) & NFT_TABLE_F_DORMANT)
			fputs("\tflags dormant\n", f);
		print_comment_udata(f, tb[NFTA_TABLE_USERDATA], KS_UDATA_TABLE_COMMENT, "\t", "\n");
	}
	for (size_t i = 0; i < ks->k[KS_OBJ].n; i++) {
		const struct nlattr *ot[NFTA_OBJ_MAX + 1];

		if (!in_table(ks, KS_OBJ, i, NFTA_OBJ_TABLE, t))
			continue;
		ks_index(ks, KS_OBJ, i, ot, NFTA_OBJ_MAX);
		if (!obj_selected(s, nfk_tb_uint(&nfk_obj_schema, ot, NFTA_OBJ_TYPE, 0), nfk_tb_str(ot, NFTA_OBJ_NAME, "")))
			continue;
		fputs(delim, f);
		print_obj(f, ks, i, t, o);
		delim = sep;
	}
	for (size_t i = 0; i < ks->nsets; i++) {
		const struct ks_set *st = &ks->sets[i];
		bool map = st->info.flags & (NFT_SET_MAP | NFT_SET_OBJECT);

		if (st->family != t->family || strcmp(st->table, t->name) != 0 ||
		    (st->info.flags & NFT_SET_ANONYMOUS) || set_unknown(st))
			continue;
		if (!(s->what & (map ? SEL_MAPS : SEL_SETS)))
			continue;
		if (s->name && strcmp(s->name, st->info.name) != 0)
			continue;
		fputs(delim, f);
		print_set(f, ks, st, o);
		delim = sep;
	}
	for (size_t i = 0; (s->what & SEL_FLOWTABLES) && i < ks->k[KS_FLOWTABLE].n; i++) {
		const struct nlattr *ft[NFTA_FLOWTABLE_MAX + 1];
		const struct nlattr *ht[NFTA_FLOWTABLE_HOOK_MAX + 1];

		if (!in_table(ks, KS_FLOWTABLE, i, NFTA_FLOWTABLE_TABLE, t))
			continue;
		ks_index(ks, KS_FLOWTABLE, i, ft, NFTA_FLOWTABLE_MAX);
		if (s->name && strcmp(s->name, nfk_tb_str(ft, NFTA_FLOWTABLE_NAME, "")) != 0)
			continue;
		fputs(delim, f);
		fprintf(f, "\tflowtable %s {", nfk_tb_str(ft, NFTA_FLOWTABLE_NAME, ""));
		ks_print_handle(f, o, &nfk_flowtable_schema, ft, NFTA_FLOWTABLE_HANDLE);
		fputc('\n', f);
		if (!ft[NFTA_FLOWTABLE_HOOK] ||
		    nfk_attr_index(nfk_attr_data(ft[NFTA_FLOWTABLE_HOOK]),
				   nfk_attr_len(ft[NFTA_FLOWTABLE_HOOK]), ht, NFTA_FLOWTABLE_HOOK_MAX) < 0)
			memset(ht, 0, sizeof(ht));
		fputs("\t\thook ingress priority ", f);
		nfk_prio_print((unsigned)t->family, NF_NETDEV_INGRESS,
			       (int)nfk_tb_uint(&nfk_flowtable_hook_schema, ht, NFTA_FLOWTABLE_HOOK_PRIORITY, 0), o->print, f);
		fputs("\n", f);
		if (ht[NFTA_FLOWTABLE_HOOK_DEVS])
			print_devs(f, ht[NFTA_FLOWTABLE_HOOK_DEVS], "\t\tdevices = { ", NULL,
				   " }\n");
		fputs("\t}\n", f);
		delim = sep;
	}
	for (size_t i = 0; (s->what & SEL_CHAINS) && i < ks->k[KS_CHAIN].n; i++) {
		if (!in_table(ks, KS_CHAIN, i, NFTA_CHAIN_TABLE, t))
			continue;
		if (s->name && strcmp(s->name, rec_str(ks, KS_CHAIN, i, NFTA_CHAIN_NAME)) != 0)
			continue;
		fputs(delim, f);
		print_chain(f, ks, t, i, s->what & SEL_RULES, o);
		delim = sep;
	}
	fputs("}\n", f);
}

/* ---- commands --------------------------------------------------------- */

static bool table_at(const struct nfk_kstate *ks, size_t i, struct table_ref *t)
{
	t->family = ks->k[KS_TABLE].v[i].family;
	t->name = rec_str(ks, KS_TABLE, i, NFTA_TABLE_NAME);
	t->rec = i;
	return *t->name != 0;
}

static int not_found(struct nfk_diags *ds, const struct nfk_cmd *cmd)
{
	/* nft marks the most specific name the command gave. */
	const struct nfk_loc *at = cmd->h.set_loc.line ? &cmd->h.set_loc :
				   cmd->h.chain_loc.line ? &cmd->h.chain_loc :
				   cmd->h.table_loc.line ? &cmd->h.table_loc : &cmd->h.loc;

	if (ds)
		nfk_diag_add(ds, at, "%s", strerror(ENOENT));
	return -ENOENT;
}

struct list_kind {
	enum nfk_obj_kind obj;
	unsigned what;
	uint32_t objtype;
	bool one;        /* names one object inside one table */
	bool compact;
};

static const struct list_kind list_kinds[] = {
	{ NFK_OBJ_RULESET, SEL_ALL, 0, false, false },
	{ NFK_OBJ_TABLE, SEL_ALL, 0, false, false },
	{ NFK_OBJ_CHAIN, SEL_CHAINS | SEL_RULES, 0, true, false },
	{ NFK_OBJ_SET, SEL_SETS, 0, true, false },
	{ NFK_OBJ_MAP, SEL_MAPS, 0, true, false },
	{ NFK_OBJ_COUNTER, SEL_OBJS, NFT_OBJECT_COUNTER, true, false },
	{ NFK_OBJ_QUOTA, SEL_OBJS, NFT_OBJECT_QUOTA, true, false },
	{ NFK_OBJ_LIMIT, SEL_OBJS, NFT_OBJECT_LIMIT, true, false },
	{ NFK_OBJ_CT_HELPER, SEL_OBJS, NFT_OBJECT_CT_HELPER, true, false },
	{ NFK_OBJ_CT_TIMEOUT, SEL_OBJS, NFT_OBJECT_CT_TIMEOUT, true, false },
	{ NFK_OBJ_CT_EXPECT, SEL_OBJS, NFT_OBJECT_CT_EXPECT, true, false },
	{ NFK_OBJ_SECMARK, SEL_OBJS, NFT_OBJECT_SECMARK, true, false },
	{ NFK_OBJ_SYNPROXY, SEL_OBJS, NFT_OBJECT_SYNPROXY, true, false },
	{ NFK_OBJ_FLOWTABLE, SEL_FLOWTABLES, 0, true, false },
	{ NFK_OBJ_CHAINS, SEL_CHAINS, 0, false, true },
	{ NFK_OBJ_SETS, SEL_SETS, 0, false, true },
	{ NFK_OBJ_MAPS, SEL_MAPS, 0, false, true },
	{ NFK_OBJ_COUNTERS, SEL_OBJS, NFT_OBJECT_COUNTER, false, true },
	{ NFK_OBJ_QUOTAS, SEL_OBJS, NFT_OBJECT_QUOTA, false, true },
	{ NFK_OBJ_LIMITS, SEL_OBJS, NFT_OBJECT_LIMIT, false, true },
	{ NFK_OBJ_FLOWTABLES, SEL_FLOWTABLES, 0, false, true },
	{ NFK_OBJ_CT_HELPERS, SEL_OBJS, NFT_OBJECT_CT_HELPER, false, true },
	{ NFK_OBJ_SYNPROXYS, SEL_OBJS, NFT_OBJECT_SYNPROXY, false, true },
	{ NFK_OBJ_SECMARKS, SEL_OBJS, NFT_OBJECT_SECMARK, false, true },
};
/* nft's complaint about each set it leaves out, once per command, for the
 * tables the command reads. */
static void note_unknown_sets(const struct nfk_kstate *ks, const struct nfk_handle *h,
			      struct nfk_diags *ds)
{
	for (size_t i = 0; ds && i < ks->nsets; i++) {
		const struct ks_set *st = &ks->sets[i];
		uint32_t bad = set_unknown(st);

		if (bad && (h->family < 0 || st->family == h->family) &&
		    (!h->table || !strcmp(st->table, h->table)))
			nfk_diag_note(ds, "netlink: Error: Unknown data type in set key %u", bad);
	}
}


static bool has_named(const struct nfk_kstate *ks, const struct table_ref *t,
		      const struct list_kind *lk, const char *name)
{
	if (lk->what & SEL_CHAINS)
		return nfk_kstate_has_chain(ks, t->family, t->name, name);
	if (lk->what & (SEL_SETS | SEL_MAPS)) {
		const struct ks_set *st = ks_set_find(ks, t->family, t->name, name);

		return st && !(st->info.flags & NFT_SET_ANONYMOUS) && !set_unknown(st);
	}
	for (size_t i = 0; i < ks->k[KS_OBJ].n; i++) {
		const struct nlattr *ot[NFTA_OBJ_MAX + 1];

		if (!in_table(ks, KS_OBJ, i, NFTA_OBJ_TABLE, t))
			continue;
		ks_index(ks, KS_OBJ, i, ot, NFTA_OBJ_MAX);
		if ((!lk->objtype || nfk_tb_uint(&nfk_obj_schema, ot, NFTA_OBJ_TYPE, 0) == lk->objtype) &&
		    strcmp(nfk_tb_str(ot, NFTA_OBJ_NAME, ""), name) == 0)
			return true;
	}
	for (size_t i = 0; (lk->what & SEL_FLOWTABLES) && i < ks->k[KS_FLOWTABLE].n; i++)
		if (in_table(ks, KS_FLOWTABLE, i, NFTA_FLOWTABLE_TABLE, t) &&
		    strcmp(rec_str(ks, KS_FLOWTABLE, i, NFTA_FLOWTABLE_NAME), name) == 0)
			return true;
	return false;
}

/* nft lists a table for "list counters", "list synproxys" ... only when
 * the table holds some stateful object, of whatever type. */
static bool has_objs(const struct nfk_kstate *ks, const struct table_ref *t)
{
	for (size_t i = 0; i < ks->k[KS_OBJ].n; i++)
		if (in_table(ks, KS_OBJ, i, NFTA_OBJ_TABLE, t))
			return true;
	return false;
}

int nfk_list_cmd(FILE *f, const struct nfk_kstate *ks, const struct nfk_cmd *cmd,
		 const struct nfk_list_opts *o, struct nfk_diags *ds)
{
	const struct nfk_handle *h = &cmd->h;
	const struct list_kind *lk = NULL;
	struct sel s;
	bool found = false;

	if (cmd->obj == NFK_OBJ_TABLES) {
		for (size_t i = 0; i < ks->k[KS_TABLE].n; i++) {
			struct table_ref t;

			if (!table_at(ks, i, &t) || (h->family >= 0 && t.family != h->family))
				continue;
			fprintf(f, "table %s %s\n", nfk_family_name((unsigned)t.family), t.name);
		}
		return 0;
	}
	for (size_t i = 0; i < sizeof(list_kinds) / sizeof(list_kinds[0]); i++)
		if (list_kinds[i].obj == cmd->obj)
			lk = &list_kinds[i];
	if (!lk) {
		if (ds)
			nfk_diag_add(ds, &cmd->loc, "%s", strerror(EOPNOTSUPP));
		return -EOPNOTSUPP;
	}
	note_unknown_sets(ks, h, ds);
	s.what = lk->what;
	s.objtype = lk->objtype;
	s.compact = lk->compact;
	s.name = lk->one ? h->set : NULL;
	if (cmd->obj == NFK_OBJ_CHAIN)
		s.name = h->chain;
	if (lk->one && !s.name)
		return not_found(ds, cmd);
	for (size_t i = 0; i < ks->k[KS_TABLE].n; i++) {
		struct table_ref t;

		if (!table_at(ks, i, &t) || (h->family >= 0 && t.family != h->family))
			continue;
		if (h->table && strcmp(h->table, t.name) != 0)
			continue;
		if (lk->one && !has_named(ks, &t, lk, s.name))
			continue;
		found = true;
		if (!lk->one && lk->what == SEL_OBJS && !has_objs(ks, &t))
			continue;
		print_table(f, ks, &t, &s, o);
	}
	if (!found && (h->table || lk->one))
		return not_found(ds, cmd);
	return 0;
}

void ks_list_set(FILE *f, const struct nfk_kstate *ks, const struct ks_set *st,
		 const struct nfk_list_opts *o)
{
	print_set(f, ks, st, o);
}

const char *ks_obj_type_name(uint32_t type)
{
	return obj_type_name(type);
}
