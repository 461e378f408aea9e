// SPDX-License-Identifier: MIT
/*
 * "did you mean ...": when the kernel answers a command with ENOENT, nft
 * looks for a table or chain whose name is close to the one written, among
 * those it knows (the kernel's and the script's, wherever in the script
 * they are declared), and names it in the error.  Its closeness measure is
 * reproduced exactly, odd corners included, so that the suggestions are
 * the same.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "print.h"
#include "types.h"

/* nft's edit distance (adjacent transpositions count one).  Its table is
 * laid out len_b cells wide although rows have len_b + 1 cells, and the
 * strings are read from index 1 (up to their terminating NUL); both are
 * kept, since they decide which names nft suggests. */
static unsigned nft_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned *d = calloc((la + 1) * (lb + 1), sizeof(*d)), ret;

	if (!d)
		return ~0u;
#define D(i, j) d[(i) * lb + (j)]
	for (size_t i = 0; i <= la; i++)
		D(i, 0) = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		D(0, j) = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned sub = a[i] != b[j], best = D(i - 1, j) + 1;

			if (D(i, j - 1) + 1 < best)
				best = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + sub < best)
				best = D(i - 1, j - 1) + sub;
			D(i, j) = best;
			if (i > 1 && j > 1 && a[i] == b[j - 1] && a[i - 1] == b[j] &&
			    D(i - 2, j - 2) + sub < D(i, j))
				D(i, j) = D(i - 2, j - 2) + sub;
		}
	}
	ret = D(la, lb);
#undef D
	free(d);
	return ret;
}

struct guess {
	unsigned best;
	const char *name;
	int family;
	const char *table;            /* a chain's */
};

/* nft's threshold: about a third of the longer name. */
static void guess_try(struct guess *g, const char *cand, int family, const char *want)
{
	size_t lc = strlen(cand), lw = strlen(want);
	size_t max = lc > lw ? lc : lw, min = lc > lw ? lw : lc;
	unsigned limit, dist;

	if (max <= 1)
		return;
	limit = max - min <= 1 ? (unsigned)((max + 2) / 3) : (unsigned)((max + 4) / 3);
	if (!limit)
		limit = 1;
	dist = nft_distance(cand, want);
	if (dist <= limit && dist < g->best) {
		g->best = dist;
		g->name = cand;
		g->family = family;
	}
}

static const char *ks_str(const struct nfk_kstate *ks, enum ks_kind kind, size_t i,
			  unsigned attr, unsigned max)
{
	const struct nlattr *tb[32] = { 0 };

	if (max >= 32)
		return NULL;
	ks_index(ks, kind, i, tb, max);
	return tb[attr] ? nfk_attr_get_str(tb[attr]) : NULL;
}

/* Tables of the kernel, then of the script, nearest to want. */
static void guess_table(struct guess *g, const struct nfk_script *sc,
			const struct nfk_kstate *ks, const char *want)
{
	for (size_t i = 0; ks && i < ks->k[KS_TABLE].n; i++) {
		const char *n = ks_str(ks, KS_TABLE, i, NFTA_TABLE_NAME, NFTA_TABLE_MAX);
		if (n)
			guess_try(g, n, ks->k[KS_TABLE].v[i].family, want);
	}
	for (size_t i = 0; i < sc->ncmds; i++) {
		const struct nfk_cmd *c = &sc->cmds[i];
		if (c->obj == NFK_OBJ_TABLE && (c->op == NFK_CMD_ADD || c->op == NFK_CMD_CREATE) &&
		    c->h.table)
			guess_try(g, c->h.table, c->h.family, want);
	}
}

static bool table_known(const struct nfk_script *sc, const struct nfk_kstate *ks, int family,
			const char *name)
{
	for (size_t i = 0; ks && i < ks->k[KS_TABLE].n; i++) {
		const char *n = ks_str(ks, KS_TABLE, i, NFTA_TABLE_NAME, NFTA_TABLE_MAX);
		if (n && ks->k[KS_TABLE].v[i].family == family && !strcmp(n, name))
			return true;
	}
	for (size_t i = 0; i < sc->ncmds; i++) {
		const struct nfk_cmd *c = &sc->cmds[i];
		if (c->obj == NFK_OBJ_TABLE && (c->op == NFK_CMD_ADD || c->op == NFK_CMD_CREATE) &&
		    c->h.table && c->h.family == family && !strcmp(c->h.table, name))
			return true;
	}
	return false;
}

/* Whether c adds or creates something in (family, table). */
static bool adds_to(const struct nfk_cmd *c, int family, const char *table)
{
	return (c->op == NFK_CMD_ADD || c->op == NFK_CMD_CREATE) && c->h.family == family &&
	       c->h.table && !strcmp(c->h.table, table);
}

/* The kernel's objects of kind (chains, stateful objects) in one table. */
static void guess_ks(struct guess *g, const struct nfk_kstate *ks, enum ks_kind kind,
		     unsigned table_attr, unsigned name_attr, unsigned max, int family,
		     const char *table, const char *want)
{
	for (size_t i = 0; ks && i < ks->k[kind].n; i++) {
		const char *t = ks_str(ks, kind, i, table_attr, max);
		const char *n = ks_str(ks, kind, i, name_attr, max);
		if (t && n && ks->k[kind].v[i].family == family && !strcmp(t, table))
			guess_try(g, n, family, want);
	}
}

/* Whether the script deletes the chain before its kernel error comes:
 * nft takes it out of what it knows. */
static bool chain_deleted(const struct nfk_script *sc, int family, const char *table,
			  const char *name)
{
	for (size_t i = 0; i < sc->ncmds; i++) {
		const struct nfk_cmd *c = &sc->cmds[i];
		if (c->obj == NFK_OBJ_CHAIN && (c->op == NFK_CMD_DELETE || c->op == NFK_CMD_DESTROY) &&
		    c->h.family == family && c->h.table && c->h.chain && !strcmp(c->h.table, table) &&
		    !strcmp(c->h.chain, name))
			return true;
	}
	return false;
}

static void guess_chain_one(struct guess *g, const struct nfk_script *sc, int family,
			    const char *table, const char *name, const char *want)
{
	const char *before = g->name;

	if (chain_deleted(sc, family, table, name))
		return;
	guess_try(g, name, family, want);
	if (g->name != before)
		g->table = table;
}

/* The chains of one table nft knows: the kernel's, then the script's. */
static void guess_chain_table(struct guess *g, const struct nfk_script *sc,
			      const struct nfk_kstate *ks, int family, const char *table,
			      const char *want)
{
	for (size_t i = 0; ks && i < ks->k[KS_CHAIN].n; i++) {
		const char *t = ks_str(ks, KS_CHAIN, i, NFTA_CHAIN_TABLE, NFTA_CHAIN_MAX);
		const char *n = ks_str(ks, KS_CHAIN, i, NFTA_CHAIN_NAME, NFTA_CHAIN_MAX);
		if (t && n && ks->k[KS_CHAIN].v[i].family == family && !strcmp(t, table))
			guess_chain_one(g, sc, family, t, n, want);
	}
	for (size_t i = 0; i < sc->ncmds; i++) {
		const struct nfk_cmd *c = &sc->cmds[i];
		const struct cmd_body *b = c->body;
		if (!adds_to(c, family, table))
			continue;
		if (c->obj == NFK_OBJ_CHAIN && c->h.chain)
			guess_chain_one(g, sc, family, c->h.table, c->h.chain, want);
		if (c->obj == NFK_OBJ_TABLE && b && b->table)
			for (const struct chain_decl *ch = b->table->chains; ch; ch = ch->next)
				guess_chain_one(g, sc, family, c->h.table, ch->name, want);
	}
}

/* nft's search for a chain looks through every table it knows, in its
 * cache's order: the kernel's tables, then those the script adds. */
static void guess_chain_all(struct guess *g, const struct nfk_script *sc,
			    const struct nfk_kstate *ks, const char *want)
{
	for (size_t i = 0; ks && i < ks->k[KS_TABLE].n; i++) {
		const char *n = ks_str(ks, KS_TABLE, i, NFTA_TABLE_NAME, NFTA_TABLE_MAX);
		if (n)
			guess_chain_table(g, sc, ks, ks->k[KS_TABLE].v[i].family, n, want);
	}
	for (size_t i = 0; i < sc->ncmds; i++) {
		const struct nfk_cmd *c = &sc->cmds[i];
		bool seen = false;
		if (c->obj != NFK_OBJ_TABLE || (c->op != NFK_CMD_ADD && c->op != NFK_CMD_CREATE) ||
		    !c->h.table)
			continue;
		for (size_t j = 0; ks && !seen && j < ks->k[KS_TABLE].n; j++) {
			const char *n = ks_str(ks, KS_TABLE, j, NFTA_TABLE_NAME, NFTA_TABLE_MAX);
			seen = n && ks->k[KS_TABLE].v[j].family == c->h.family && !strcmp(n, c->h.table);
		}
		for (size_t j = 0; !seen && j < i; j++)
			seen = sc->cmds[j].obj == NFK_OBJ_TABLE && sc->cmds[j].h.table &&
			       (sc->cmds[j].op == NFK_CMD_ADD || sc->cmds[j].op == NFK_CMD_CREATE) &&
			       sc->cmds[j].h.family == c->h.family &&
			       !strcmp(sc->cmds[j].h.table, c->h.table);
		if (!seen)
			guess_chain_table(g, sc, NULL, c->h.family, c->h.table, want);
	}
}

/* Sets and maps of one table, the kernel's then the script's, nearest to
 * want; *is_map tells which the suggestion is. */
static void guess_set(struct guess *g, bool *is_map, const struct nfk_script *sc,
		      const struct nfk_kstate *ks, int family, const char *table, const char *want)
{
	for (size_t i = 0; ks && i < ks->nsets; i++) {
		const struct ks_set *st = &ks->sets[i];
		const char *before = g->name;
		if (st->family != family || !st->table || strcmp(st->table, table) ||
		    !st->info.name || (st->info.flags & NFT_SET_ANONYMOUS) ||
		    nfk_set_unknown_type(st->info.flags, st->info.key_type, st->info.data_type))
			continue;
		guess_try(g, st->info.name, family, want);
		if (g->name != before)
			*is_map = st->info.flags & NFT_SET_MAP;
	}
	for (size_t i = 0; i < sc->ncmds; i++) {
		const struct nfk_cmd *c = &sc->cmds[i];
		const struct cmd_body *b = c->body;
		if (!adds_to(c, family, table) || !b)
			continue;
		const struct set_decl *one = (c->obj == NFK_OBJ_SET || c->obj == NFK_OBJ_MAP) ? b->set : NULL;
		const struct set_decl *list = c->obj == NFK_OBJ_TABLE && b->table ? b->table->sets : NULL;
		for (const struct set_decl *sd = one ? one : list; sd; sd = one ? NULL : sd->next) {
			const char *before = g->name;
			guess_try(g, sd->name, family, want);
			if (g->name != before)
				*is_map = sd->is_map;
		}
	}
}

/* Stateful objects of one table (any type), nearest to want. */
static void guess_obj(struct guess *g, const struct nfk_script *sc, const struct nfk_kstate *ks,
		      int family, const char *table, const char *want)
{
	guess_ks(g, ks, KS_OBJ, NFTA_OBJ_TABLE, NFTA_OBJ_NAME, NFTA_OBJ_MAX, family, table, want);
	for (size_t i = 0; i < sc->ncmds; i++) {
		const struct nfk_cmd *c = &sc->cmds[i];
		const struct cmd_body *b = c->body;
		if (!adds_to(c, family, table) || !b)
			continue;
		if (b->obj && b->obj->name)
			guess_try(g, b->obj->name, family, want);
		if (c->obj == NFK_OBJ_TABLE && b->table)
			for (const struct obj_decl *o = b->table->objs; o; o = o->next)
				guess_try(g, o->name, family, want);
	}
}

const char *nfk_script_set_hint(const struct nfk_script *sc, const struct nfk_kstate *ks,
				int family, const char *table, const char *name, char *buf,
				size_t len, bool *about_table)
{
	struct guess g = { .best = ~0u };
	bool is_map = false;

	*about_table = false;
	if (!sc || !table || !name)
		return NULL;
	if (!table_known(sc, ks, family, table)) {
		*about_table = true;
		guess_table(&g, sc, ks, table);
		if (!g.name)
			return NULL;
		snprintf(buf, len, "%s; did you mean table \u2018%s\u2019 in family %s?",
			 strerror(ENOENT), g.name, nfk_family_name(g.family));
		return buf;
	}
	guess_set(&g, &is_map, sc, ks, family, table, name);
	if (!g.name)
		return NULL;
	snprintf(buf, len, "%s; did you mean %s \u2018%s\u2019 in table %s \u2018%s\u2019?",
		 strerror(ENOENT), is_map ? "map" : "set", g.name, nfk_family_name(family), table);
	return buf;
}

/* The command whose message carries cookie. */
static const struct nfk_cmd *cmd_of(const struct nfk_script *sc, const void *cookie)
{
	for (size_t i = 0; i < sc->ncmds; i++) {
		const struct nfk_cmd *c = &sc->cmds[i];
		const struct cmd_body *b = c->body;
		if (cookie == &c->loc || cookie == &c->h.loc ||
		    (b && b->rule && cookie == &b->rule->loc))
			return c;
	}
	return NULL;
}

const char *nfk_script_enoent_hint(const struct nfk_script *sc, const struct nfk_kstate *ks,
				   const void *cookie, char *buf, size_t len)
{
	const struct nfk_cmd *c = sc ? cmd_of(sc, cookie) : NULL;
	struct guess g = { .best = ~0u };
	struct nfk_cmd blk;

	/* a table block's rule: nft's command of its own, to the block's chain */
	for (size_t i = 0; sc && !c && i < sc->ncmds; i++) {
		const struct cmd_body *b = sc->cmds[i].body;
		if (sc->cmds[i].obj != NFK_OBJ_TABLE || !b || !b->table)
			continue;
		for (const struct chain_decl *ch = b->table->chains; !c && ch; ch = ch->next)
			for (const struct rule *ru = ch->rules; !c && ru; ru = ru->next)
				if (cookie == &ru->loc) {
					blk = sc->cmds[i];
					blk.obj = NFK_OBJ_RULE;
					blk.h.chain = ch->name;
					c = &blk;
				}
	}
	if (!c || !c->h.table)
		return NULL;
	switch (c->obj) {
	case NFK_OBJ_TABLE:
		/* nft looks even when the table is the script's own, but not
		 * when the kernel has it */
		for (size_t i = 0; ks && i < ks->k[KS_TABLE].n; i++) {
			const char *n = ks_str(ks, KS_TABLE, i, NFTA_TABLE_NAME, NFTA_TABLE_MAX);
			if (n && ks->k[KS_TABLE].v[i].family == c->h.family && !strcmp(n, c->h.table))
				return NULL;
		}
		guess_table(&g, sc, ks, c->h.table);
		break;
	case NFK_OBJ_CHAIN:
	case NFK_OBJ_RULE:
		if (!table_known(sc, ks, c->h.family, c->h.table)) {
			guess_table(&g, sc, ks, c->h.table);
			break;
		}
		/* the nearest chain of any table; none when it is the chain
		 * itself (a one-letter name never is: nft skips those) */
		if (!c->h.chain)
			return NULL;
		guess_chain_all(&g, sc, ks, c->h.chain);
		if (g.name && strcmp(g.name, c->h.chain)) {
			snprintf(buf, len, "%s; did you mean chain \u2018%s\u2019 in table %s \u2018%s\u2019?",
				 strerror(ENOENT), g.name, nfk_family_name(g.family), g.table);
			return buf;
		}
		return NULL;
	case NFK_OBJ_SET:
	case NFK_OBJ_MAP:
	case NFK_OBJ_ELEMENT: {
		bool about_table;
		return nfk_script_set_hint(sc, ks, c->h.family, c->h.table, c->h.set, buf, len,
					   &about_table);
	}
	case NFK_OBJ_COUNTER: case NFK_OBJ_QUOTA: case NFK_OBJ_LIMIT: case NFK_OBJ_CT_HELPER:
	case NFK_OBJ_CT_TIMEOUT: case NFK_OBJ_CT_EXPECT: case NFK_OBJ_SECMARK:
	case NFK_OBJ_SYNPROXY:
		if (!table_known(sc, ks, c->h.family, c->h.table)) {
			guess_table(&g, sc, ks, c->h.table);
			break;
		}
		if (!c->h.set)
			return NULL;
		guess_obj(&g, sc, ks, c->h.family, c->h.table, c->h.set);
		if (!g.name)
			return NULL;
		snprintf(buf, len, "%s; did you mean obj \u2018%s\u2019 in table %s \u2018%s\u2019?",
			 strerror(ENOENT), g.name, nfk_family_name(c->h.family), c->h.table);
		return buf;
	default:
		return NULL;
	}
	if (!g.name)
		return NULL;
	snprintf(buf, len, "%s; did you mean table \u2018%s\u2019 in family %s?", strerror(ENOENT),
		 g.name, nfk_family_name(g.family));
	return buf;
}
