// SPDX-License-Identifier: MIT
/* Commands and scripts: the verbs and objects of nft's command line and
 * files, includes and defines, and the script API (nfk_script_*). */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "family.h"

/* ---- commands ---------------------------------------------------------- */

static struct nfk_cmd *cmd_new(P *p, enum nfk_cmd_op op, enum nfk_obj_kind obj,
			       const struct nfk_loc *loc)
{
	struct nfk_script *sc = p->sc;

	if (sc->ncmds == sc->cap) {
		size_t nc = sc->cap ? sc->cap * 2 : 16;
		struct nfk_cmd *n = realloc(sc->cmds, nc * sizeof(*n));
		if (!n) {
			ps_err(p, loc, "out of memory");
			return NULL;
		}
		sc->cmds = n;
		sc->cap = nc;
	}
	struct nfk_cmd *c = &sc->cmds[sc->ncmds++];
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->obj = obj;
	c->loc = *loc;
	c->h.loc = *loc;
	c->h.family = NFPROTO_IPV4;
	c->h.index = UINT32_MAX;
	c->body = nfk_arena_alloc(p->ar, sizeof(struct cmd_body));
	if (!c->body) {
		ps_err(p, loc, "out of memory");
		return NULL;
	}
	return c;
}

static bool parse_family(P *p, int *family)
{
	char w[16];

	if (p->tok.kind != T_WORD || p->tok.len >= sizeof(w))
		return false;
	nfk_tok_copy(w, sizeof(w), &p->tok);
	int f = nfk_family_by_name(w);
	if (f < 0)
		return false;
	/* a family word is a keyword to nft, never a name */
	*family = f;
	ps_next(p);
	return true;
}

/* A name, remembering where it was written (errors about it point there). */
static const char *parse_name_at(P *p, struct nfk_loc *at)
{
	*at = p->tok.loc;
	return ps_name(p);
}

/* A handle number, remembering where it was written. */
static bool handle_at(P *p, struct nfk_cmd *c)
{
	uint64_t v;

	c->h.handle_loc = p->tok.loc;
	if (!ps_number(p, &v))
		return false;
	c->h.handle = v;
	return true;
}

/* [family] table */
static bool parse_table_ref(P *p, struct nfk_cmd *c)
{
	parse_family(p, &c->h.family);
	return (c->h.table = parse_name_at(p, &c->h.table_loc)) != NULL;
}

static bool parse_rule_pos(P *p, struct nfk_cmd *c)
{
	struct nfk_loc at = p->tok.loc;
	uint64_t v;

	if (ps_accept(p, "position")) {
		if (!ps_number(p, &v))
			return false;
		c->h.position = v;
		/* a position the kernel does not find: nft marks all of it */
		ps_span(&at, &p->prev);
		c->h.handle_loc = at;
	} else if (ps_accept(p, "index")) {
		if (!ps_number(p, &v))
			return false;
		c->h.index = v;
		c->h.has_index = true;
	} else if (ps_accept(p, "handle")) {
		if (!handle_at(p, c))
			return false;
		c->h.loc = c->h.handle_loc;   /* nft points at the handle when it is wrong */
	}
	return true;
}

static const struct { const char *w; enum nfk_cmd_op op; } cmd_words[] = {
	{ "add", NFK_CMD_ADD }, { "create", NFK_CMD_CREATE }, { "insert", NFK_CMD_INSERT },
	{ "replace", NFK_CMD_REPLACE }, { "delete", NFK_CMD_DELETE },
	{ "destroy", NFK_CMD_DESTROY }, { "flush", NFK_CMD_FLUSH }, { "list", NFK_CMD_LIST },
	{ "get", NFK_CMD_GET }, { "reset", NFK_CMD_RESET }, { "rename", NFK_CMD_RENAME },
	{ "describe", NFK_CMD_DESCRIBE }, { "monitor", NFK_CMD_MONITOR },
};

static const struct { const char *w; enum nfk_obj_kind kind; } obj_kinds[] = {
	{ "ruleset", NFK_OBJ_RULESET }, { "table", NFK_OBJ_TABLE }, { "chain", NFK_OBJ_CHAIN },
	{ "rule", NFK_OBJ_RULE }, { "set", NFK_OBJ_SET }, { "map", NFK_OBJ_MAP },
	{ "element", NFK_OBJ_ELEMENT }, { "counter", NFK_OBJ_COUNTER },
	{ "quota", NFK_OBJ_QUOTA }, { "limit", NFK_OBJ_LIMIT },
	{ "flowtable", NFK_OBJ_FLOWTABLE }, { "tables", NFK_OBJ_TABLES },
	{ "chains", NFK_OBJ_CHAINS }, { "sets", NFK_OBJ_SETS }, { "maps", NFK_OBJ_MAPS },
	{ "counters", NFK_OBJ_COUNTERS }, { "quotas", NFK_OBJ_QUOTAS },
	{ "limits", NFK_OBJ_LIMITS }, { "flowtables", NFK_OBJ_FLOWTABLES },
	{ "synproxy", NFK_OBJ_SYNPROXY }, { "synproxys", NFK_OBJ_SYNPROXYS },
	{ "secmark", NFK_OBJ_SECMARK }, { "secmarks", NFK_OBJ_SECMARKS },
};

static bool parse_command(P *p, enum nfk_cmd_op op, const struct nfk_loc *loc);

static bool parse_table_cmd_body(P *p, struct nfk_cmd *c, enum nfk_cmd_op op)
{
	struct cmd_body *b = c->body;

	switch (c->obj) {
	case NFK_OBJ_RULESET:
		parse_family(p, &c->h.family) || (c->h.family = -1);
		if (p->tok.kind == T_WORD) {
			char w[16];
			nfk_tok_copy(w, sizeof(w), &p->tok);
			if (nfk_family_by_name(w) >= 0) {
				c->h.family = nfk_family_by_name(w);
				ps_next(p);
			}
		}
		return true;
	case NFK_OBJ_CT_HELPERS:
		/* nft knows "list ct helpers table [family] NAME" only */
		if (!ps_accept(p, "table"))
			return ps_unexpected(p, "table"), false;
		return parse_table_ref(p, c);
	case NFK_OBJ_TABLES: case NFK_OBJ_CHAINS: case NFK_OBJ_SETS: case NFK_OBJ_MAPS:
	case NFK_OBJ_COUNTERS: case NFK_OBJ_QUOTAS: case NFK_OBJ_LIMITS:
	case NFK_OBJ_FLOWTABLES: case NFK_OBJ_SYNPROXYS: case NFK_OBJ_SECMARKS:
		c->h.family = -1;
		if (p->tok.kind == T_WORD && !nfk_tok_is(&p->tok, "table")) {
			char w[16];
			nfk_tok_copy(w, sizeof(w), &p->tok);
			if (nfk_family_by_name(w) >= 0) {
				c->h.family = nfk_family_by_name(w);
				ps_next(p);
			}
		}
		/* nft 1.0.6 lists tables, chains, maps and flowtables per family
		 * only */
		if (c->obj != NFK_OBJ_TABLES && c->obj != NFK_OBJ_CHAINS && c->obj != NFK_OBJ_MAPS &&
		    c->obj != NFK_OBJ_FLOWTABLES && ps_accept(p, "table")) {
			if (!parse_table_ref(p, c))
				return false;
		}
		return true;
	case NFK_OBJ_TABLE:
		if (!parse_table_ref(p, c))
			return false;
		if (op == NFK_CMD_DELETE && c->h.table && !strcmp(c->h.table, "handle")) {
			if (!handle_at(p, c))
				return false;
			c->h.table = NULL;
			c->h.table_loc = (struct nfk_loc){ 0 };
		}
		if (p->tok.kind == '{') {
			b->table = nfk_arena_alloc(p->ar, sizeof(*b->table));
			if (!b->table)
				return false;
			b->table->chains_tail = &b->table->chains;
			b->table->sets_tail = &b->table->sets;
			b->table->objs_tail = &b->table->objs;
			b->table->fts_tail = &b->table->fts;
			int saved = p->family;
			p->family = c->h.family;
			bool ok = ps_table_body(p, b->table);
			p->family = saved;
			return ok;
		}
		return true;
	case NFK_OBJ_CHAIN:
		if (!parse_table_ref(p, c))
			return false;
		if (ps_accept(p, "handle"))
			return handle_at(p, c);
		if (!(c->h.chain = parse_name_at(p, &c->h.chain_loc)))
			return false;
		if (op == NFK_CMD_RENAME) {
			return (b->newname = ps_name(p)) != NULL;
		}
		if (p->tok.kind == '{') {
			b->chain = ps_chain_new(p, &c->loc);
			if (!b->chain)
				return false;
			b->chain->name = c->h.chain;
			return ps_chain_body(p, b->chain);
		}
		return true;
	case NFK_OBJ_RULE:
		if (!parse_table_ref(p, c))
			return false;
		if (!(c->h.chain = parse_name_at(p, &c->h.chain_loc)))
			return false;
		if (!parse_rule_pos(p, c))
			return false;
		if (op == NFK_CMD_DELETE || op == NFK_CMD_DESTROY || op == NFK_CMD_LIST ||
		    op == NFK_CMD_RESET || op == NFK_CMD_GET)
			return true;
		b->rule = ps_rule(p);
		return b->rule != NULL;
	case NFK_OBJ_SET:
	case NFK_OBJ_MAP:
		if (!parse_table_ref(p, c))
			return false;
		if (ps_accept(p, "handle"))
			return handle_at(p, c);
		if (!(c->h.set = parse_name_at(p, &c->h.set_loc)))
			return false;
		if (p->tok.kind == '{' && (op == NFK_CMD_ADD || op == NFK_CMD_CREATE)) {
			b->set = ps_set_new(p, &c->loc, c->obj == NFK_OBJ_MAP);
			if (!b->set)
				return false;
			b->set->name = c->h.set;
			return ps_set_body(p, b->set);
		}
		return true;
	case NFK_OBJ_ELEMENT:
		if (!parse_table_ref(p, c))
			return false;
		if (!(c->h.set = parse_name_at(p, &c->h.set_loc)))
			return false;
		if (p->tok.kind == '{' || p->tok.kind == T_VAR)
			return ps_capture_elems(p, &b->elems);
		ps_unexpected(p, "'{' or '$'");
		return false;
	case NFK_OBJ_COUNTER:
	case NFK_OBJ_QUOTA:
	case NFK_OBJ_LIMIT:
	case NFK_OBJ_SYNPROXY:
	case NFK_OBJ_SECMARK:
	case NFK_OBJ_CT_HELPER:
	case NFK_OBJ_CT_TIMEOUT:
	case NFK_OBJ_CT_EXPECT: {
		/* nft has no handle form for the ct objects */
		bool by_handle = c->obj != NFK_OBJ_CT_HELPER && c->obj != NFK_OBJ_CT_TIMEOUT &&
				 c->obj != NFK_OBJ_CT_EXPECT;
		if (!parse_table_ref(p, c))
			return false;
		if (by_handle && ps_accept(p, "handle"))
			return handle_at(p, c);
		if (!(c->h.set = parse_name_at(p, &c->h.set_loc)))
			return false;
		if (op == NFK_CMD_ADD || op == NFK_CMD_CREATE) {
			/* nft 1.0.6 creates synproxies from the inline form only */
			if (op == NFK_CMD_CREATE && c->obj == NFK_OBJ_SYNPROXY && p->tok.kind == '{')
				return ps_unexpected(p, "mss"), false;
			b->obj = nfk_arena_alloc(p->ar, sizeof(*b->obj));
			if (!b->obj)
				return false;
			b->obj->loc = c->loc;
			b->obj->kind = c->obj;
			b->obj->name = c->h.set;
			return ps_obj_body(p, b->obj, &c->h.set_loc, true);
		}
		return true;
	}
	case NFK_OBJ_FLOWTABLE:
		if (!parse_table_ref(p, c))
			return false;
		if (ps_accept(p, "handle"))
			return handle_at(p, c);
		if (!(c->h.set = parse_name_at(p, &c->h.set_loc)))
			return false;
		if (p->tok.kind == '{' && (op == NFK_CMD_ADD || op == NFK_CMD_CREATE)) {
			b->ft = nfk_arena_alloc(p->ar, sizeof(*b->ft));
			if (!b->ft)
				return false;
			b->ft->loc = c->loc;
			b->ft->name = c->h.set;
			return ps_flowtable_body(p, b->ft);
		}
		return true;
	default:
		ps_err(p, &c->loc, "unsupported command");
		return false;
	}
}

/* nft knows secmark objects after add, create, delete and list only; after
 * the other verbs its syntax error lists what that verb takes instead. */
static bool secmark_op_ok(P *p, enum nfk_cmd_op op)
{
	switch (op) {
	case NFK_CMD_ADD: case NFK_CMD_CREATE: case NFK_CMD_DELETE: case NFK_CMD_LIST:
		return true;
	case NFK_CMD_INSERT: case NFK_CMD_REPLACE:
		return ps_unexpected(p, "rule"), false;
	case NFK_CMD_DESTROY:
		return ps_unexpected(p, "string"), false;
	case NFK_CMD_GET:
		return ps_unexpected(p, "element"), false;
	case NFK_CMD_RESET:
		return ps_unexpected(p, "counter or counters or quotas or quota"), false;
	case NFK_CMD_RENAME:
		return ps_unexpected(p, "chain"), false;
	default:
		return ps_unexpected(p, NULL), false;
	}
}

static bool parse_command(P *p, enum nfk_cmd_op op, const struct nfk_loc *loc)
{
	int kind = -1;

	/* insert and replace take "rule" and nothing else, not even the short
	 * form add allows (the fuzzer's "insert counter" reached the compiler
	 * without an object) */
	if ((op == NFK_CMD_INSERT || op == NFK_CMD_REPLACE) && !ps_is(p, "rule"))
		return ps_unexpected(p, "rule"), false;
	if (ps_accept(p, "ct")) {
		kind = ps_ct_obj_kind(&p->tok);
		if (kind == NFK_OBJ_CT_HELPERS && op != NFK_CMD_LIST)
			kind = -1;
		if (kind < 0) {
			ps_unexpected(p, op == NFK_CMD_LIST ? "timeout or expectation or helper or helpers" :
							   "timeout or expectation or helper");
			return false;
		}
		ps_next(p);
	}
	if (kind < 0 && ps_is(p, "secmark") && !secmark_op_ok(p, op))
		return false;
	for (size_t i = 0; kind < 0 && i < sizeof(obj_kinds) / sizeof(obj_kinds[0]); i++)
		if (ps_accept(p, obj_kinds[i].w))
			kind = (int)obj_kinds[i].kind;
	if (kind >= 0) {
		struct nfk_cmd *c = cmd_new(p, op, (enum nfk_obj_kind)kind, loc);
		if (!c)
			return false;
		size_t idx = p->sc->ncmds - 1;
		bool ok = parse_table_cmd_body(p, c, op);
		/* the command spans to its last token on its first line */
		c = &p->sc->cmds[idx];
		ps_span(&c->loc, &p->prev);
		if (!c->h.handle)
			c->h.loc = c->loc;
		/* kernel errors about the object that name no attribute mark the
		 * whole command, and nft's location of it runs to the newline or
		 * ';' that ends it (its column: on the command's last line) */
		struct cmd_body *b = c->body;
		struct nfk_loc whole = c->loc;
		if (p->tok.kind == T_NL || p->tok.kind == ';')
			whole.col_end = p->tok.loc.col;
		else if (p->tok.kind == T_EOF && !p->lx.src->name)
			whole.col_end++;   /* nft ends command-line text with a newline */
		if (b->obj)
			b->obj->loc = whole;
		if (b->set)
			b->set->loc = whole;
		if (b->ft)
			b->ft->loc = whole;
		if (b->chain)
			b->chain->loc = whole;
		return ok;
	}
	/* "add rule" may be written as just "add FAMILY TABLE CHAIN RULE" */
	if (op == NFK_CMD_ADD || op == NFK_CMD_INSERT) {
		struct nfk_cmd *c = cmd_new(p, op, NFK_OBJ_RULE, loc);
		return c && parse_table_cmd_body(p, c, op);
	}
	ps_unexpected(p, NULL);
	return false;
}

static int parse_text(struct nfk_script *sc, const struct nfk_src *src, struct nfk_diags *ds);

/* Reads a whole file into a new source of the script. */
static const struct nfk_src *load_src(P *p, const char *path, const struct nfk_loc *loc)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0, len = 0;

	if (!f) {
		ps_err(p, loc, "Could not open file \"%s\": %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - len < 65536) {
			char *n = realloc(text, cap + 65536 + 1);
			if (!n) {
				fclose(f);
				free(text);
				ps_err(p, loc, "out of memory");
				return NULL;
			}
			text = n;
			cap += 65536;
		}
		size_t r = fread(text + len, 1, cap - len, f);
		if (!r)
			break;
		len += r;
	}
	fclose(f);
	text[len] = 0;
	struct nfk_src *src = calloc(1, sizeof(*src));
	if (!src || p->sc->nsrcs >= sizeof(p->sc->srcs) / sizeof(p->sc->srcs[0])) {
		free(src);
		free(text);
		ps_err(p, loc, "too many include files");
		return NULL;
	}
	src->name = strdup(path);
	src->text = text;
	src->len = len;
	struct nfk_loc *from = nfk_arena_alloc(&p->sc->arena, sizeof(*from));
	if (from)
		*from = *loc;
	src->included_from = from;
	p->sc->srcs[p->sc->nsrcs++] = src;
	return src;
}

static bool include_one(P *p, const char *path, const struct nfk_loc *loc)
{
	const struct nfk_src *src = load_src(p, path, loc);

	if (!src)
		return false;
	p->sc->include_depth++;
	int ret = parse_text(p->sc, src, p->ds);
	p->sc->include_depth--;
	if (ret)
		p->failed = true;
	return ret == 0;
}

/* include "name": as nft, names starting with "/", "./" or "../" are
 * used as they are; others are searched in the include path only.
 * Wildcards include every match in order, and matching nothing is fine. */
static bool parse_include(P *p, const struct nfk_loc *kwloc)
{
	/* nft's default directory first, then the -I ones in order */
	static const char *const default_path = "/etc";
	const struct nfk_parse_opts *o = p->sc->opts;

	if (p->tok.kind != T_STRING)
		return ps_unexpected(p, "quoted string"), false;
	struct nfk_loc loc = *kwloc;
	ps_span(&loc, &p->tok.loc);
	loc.col_end++;   /* nft's span of the statement ends after the newline */
	char *name = ps_tokdup(p, &p->tok);
	ps_next(p);
	/* the top file and 15 nested includes: nft's 16 levels */
	if (p->sc->include_depth >= 15) {
		ps_err(p, &loc, "Include nested too deeply, max 16 levels");
		return false;
	}
	bool direct = name[0] == '/' || !strncmp(name, "./", 2) || !strncmp(name, "../", 3);
	bool wild = strpbrk(name, "*?[") != NULL;
	char path[4096];
	size_t ndirs = direct ? 1 : 1 + (o ? o->ninclude : 0);
	for (size_t i = 0; i < ndirs; i++) {
		if (direct)
			snprintf(path, sizeof(path), "%s", name);
		else
			snprintf(path, sizeof(path), "%s/%s", i ? o->include_paths[i - 1] : default_path,
				 name);
		if (wild) {
			glob_t g;
			int r = glob(path, 0, NULL, &g);
			if (r == GLOB_NOMATCH)
				continue;
			if (r) {
				ps_err(p, &loc, "Failed to glob the pattern %s", name);
				return false;
			}
			bool ok = true;
			for (size_t j = 0; ok && j < g.gl_pathc; j++)
				ok = include_one(p, g.gl_pathv[j], &loc);
			globfree(&g);
			if (!ok)
				return false;
			continue;
		}
		if (!access(path, F_OK))
			return include_one(p, path, &loc);
	}
	if (wild)
		return true;
	ps_err(p, &loc, "File not found: %s", name);
	return false;
}

static bool parse_define(P *p, bool redefine)
{
	if (p->tok.kind != T_WORD)
		return ps_unexpected(p, "string"), false;
	struct define *d = nfk_arena_alloc(p->ar, sizeof(*d));
	if (!d)
		return false;
	d->name = ps_tokdup(p, &p->tok);
	for (const struct define *o = p->sc->defines; o && !redefine; o = o->next)
		if (!strcmp(o->name, d->name)) {
			ps_err(p, &p->tok.loc, "redefinition of symbol '%s'", d->name);
			return false;
		}
	ps_next(p);
	if (!ps_expect(p, '=', "'='"))
		return false;
	if (!(d->value = ps_rhs(p)))
		return false;
	d->next = p->sc->defines;
	p->sc->defines = d;
	return true;
}

static bool parse_line(P *p)
{
	struct nfk_loc loc = p->tok.loc;

	if (ps_accept(p, "include"))
		return parse_include(p, &loc);
	if (ps_accept(p, "define"))
		return parse_define(p, false);
	if (ps_accept(p, "redefine"))
		return parse_define(p, true);
	for (size_t i = 0; i < sizeof(cmd_words) / sizeof(cmd_words[0]); i++)
		if (ps_accept(p, cmd_words[i].w))
			return parse_command(p, cmd_words[i].op, &loc);
	/* file syntax: "table ..." and "chain ..." mean add */
	if (ps_is(p, "table") || ps_is(p, "chain") || ps_is(p, "set") || ps_is(p, "map") ||
	    ps_is(p, "element") || ps_is(p, "counter") || ps_is(p, "quota") || ps_is(p, "limit") ||
	    ps_is(p, "flowtable") || ps_is(p, "rule") || ps_is(p, "ct") || ps_is(p, "synproxy"))
		return parse_command(p, NFK_CMD_ADD, &loc);
	ps_unexpected(p, NULL);
	return false;
}

static int parse_text(struct nfk_script *sc, const struct nfk_src *src, struct nfk_diags *ds)
{
	P p = { .sc = sc, .ds = ds, .ar = &sc->arena, .family = NFPROTO_IPV4 };

	nfk_lex_init(&p.lx, src);
	ps_next(&p);
	for (;;) {
		ps_skip_seps(&p);
		if (p.tok.kind == T_EOF)
			break;
		size_t ncmds = sc->ncmds;
		bool include = ps_is(&p, "include");
		bool ok = parse_line(&p) && !p.failed &&
			  (p.tok.kind == T_EOF || ps_end_sep(&p, "end of file or newline or semicolon"));
		/* a command with an error is dropped, as nft's grammar drops it;
		 * the others are still evaluated (see nfk_script_parse) */
		if (!ok && !include)
			sc->ncmds = ncmds;
		/* an evaluation error outside any rule (a set's typeof...):
		 * the command parsed to its end, nothing to recover from */
		if (ok && !ps_eval_flush(&p)) {
			if (!include)
				sc->ncmds = ncmds;
			p.failed = p.eval_failed = false;
			p.any_failed = true;
			continue;
		}
		if (!ok && !ps_recover(&p, 0)) {
			p.failed = true;
			break;
		}
	}
	return p.failed || p.any_failed ? -EINVAL : 0;
}

/* Adds text (owned from now on) as a source of sc. */
static struct nfk_src *script_add_src(struct nfk_script *sc, const char *name, char *text,
				      size_t len)
{
	struct nfk_src *src = calloc(1, sizeof(*src));

	if (!src || sc->nsrcs >= sizeof(sc->srcs) / sizeof(sc->srcs[0])) {
		free(src);
		free(text);
		return NULL;
	}
	src->name = name ? strdup(name) : NULL;
	src->text = text;
	src->len = len;
	sc->srcs[sc->nsrcs++] = src;
	return src;
}

/* nft -D: the definitions form a text of their own, "define n=v; ...",
 * parsed ahead of the input (errors in it are shown on that line). */
static int parse_defines(struct nfk_script *sc, const struct nfk_parse_opts *o,
			 struct nfk_diags *ds)
{
	size_t len = 0;

	for (size_t i = 0; i < o->ndefines; i++)
		len += strlen(o->defines[i]) + sizeof("define ; ");
	char *text = malloc(len + 1), *t = text;
	if (!text)
		return -ENOMEM;
	for (size_t i = 0; i < o->ndefines; i++)
		t += sprintf(t, "define %s; ", o->defines[i]);
	struct nfk_src *src = script_add_src(sc, NULL, text, (size_t)(t - text));
	return src ? parse_text(sc, src, ds) : -ENOMEM;
}

/* nft checks the names a command gives (table, chain, set, object or
 * flowtable: its handle, not the declarations inside a table block) once
 * the whole input has parsed, before it evaluates anything: the first
 * name over NFK_NAME_MAX characters is the one error it reports then,
 * after the syntax errors, and no command is evaluated. */
#define NFK_NAME_MAX 256
static int check_names(struct nfk_script *sc, struct nfk_diags *ds)
{
	for (size_t i = 0; i < sc->ncmds; i++) {
		const struct nfk_handle *h = &sc->cmds[i].h;
		const struct { const char *name; const struct nfk_loc *loc; } names[] = {
			{ h->table, &h->table_loc }, { h->chain, &h->chain_loc },
			{ h->set, &h->set_loc },
		};

		for (size_t j = 0; j < sizeof(names) / sizeof(names[0]); j++) {
			if (!names[j].name || strlen(names[j].name) <= NFK_NAME_MAX)
				continue;
			nfk_diag_add(ds, names[j].loc, "name too long, %d characters maximum allowed",
				     NFK_NAME_MAX);
			return -ENAMETOOLONG;
		}
	}
	return 0;
}

static int script_parse_src(struct nfk_script **out, const char *name, char *text, size_t len,
			    const struct nfk_parse_opts *o, struct nfk_diags *ds)
{
	struct nfk_script *sc = calloc(1, sizeof(*sc));
	int ret = 0;

	*out = sc;
	if (!sc) {
		free(text);
		return -ENOMEM;
	}
	sc->opts = o;
	if (o && o->ndefines)
		ret = parse_defines(sc, o, ds);
	struct nfk_src *src = script_add_src(sc, name, text, len);
	if (!src)
		ret = -ENOMEM;
	else if (!ret)
		ret = parse_text(sc, src, ds);
	sc->opts = NULL;
	/* then nothing is evaluated: -ENAMETOOLONG, not -EINVAL */
	if (src && ret != -ENOMEM && check_names(sc, ds) < 0)
		ret = -ENAMETOOLONG;
	if (ret < 0 && ds)
		nfk_diags_settle(ds);   /* the caller may add more, and settle again */
	return ret;
}

int nfk_script_parse_opts(struct nfk_script **out, const char *name, const char *text,
			  const struct nfk_parse_opts *o, struct nfk_diags *ds)
{
	size_t len = strlen(text);
	char *copy = malloc(len + 1);

	*out = NULL;
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len + 1);
	return script_parse_src(out, name, copy, len, o, ds);
}

int nfk_script_parse(struct nfk_script **out, const char *name, const char *text,
		     struct nfk_diags *ds)
{
	return nfk_script_parse_opts(out, name, text, NULL, ds);
}

int nfk_script_parse_file_opts(struct nfk_script **out, const char *path,
			       const struct nfk_parse_opts *o, struct nfk_diags *ds)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0, len = 0;

	*out = NULL;
	if (!f) {
		int e = errno;
		struct nfk_loc loc = { 0 };
		nfk_diag_add(ds, &loc, "Could not open file \"%s\": %s", path, strerror(e));
		return -e;
	}
	for (;;) {
		if (cap - len < 65536) {
			char *n = realloc(text, cap + 65536 + 1);
			if (!n) {
				fclose(f);
				free(text);
				return -ENOMEM;
			}
			text = n;
			cap += 65536;
		}
		size_t r = fread(text + len, 1, cap - len, f);
		if (!r)
			break;
		len += r;
	}
	fclose(f);
	text[len] = 0;
	return script_parse_src(out, path, text, len, o, ds);
}

int nfk_script_parse_file(struct nfk_script **out, const char *path, struct nfk_diags *ds)
{
	return nfk_script_parse_file_opts(out, path, NULL, ds);
}

void nfk_script_free(struct nfk_script *sc)
{
	if (!sc)
		return;
	for (unsigned i = 0; i < sc->nsrcs; i++) {
		free((char *)sc->srcs[i]->name);
		free((char *)sc->srcs[i]->text);
		free(sc->srcs[i]);
	}
	nfk_arena_free(&sc->arena);
	free(sc->cmds);
	free(sc);
}

size_t nfk_script_ncmds(const struct nfk_script *sc)
{
	return sc ? sc->ncmds : 0;
}

const struct nfk_cmd *nfk_script_cmd(const struct nfk_script *sc, size_t i)
{
	return sc && i < sc->ncmds ? &sc->cmds[i] : NULL;
}

/* Braces inside an element list hold elements of the same list (nft
 * flattens "{ { 1.2.3.4 }, { { 5.6.7.8 } } }"). */
static int each_elem(struct ex *e, int (*cb)(void *arg, struct ex *elem), void *arg)
{
	if (e->kind != EX_SET)
		return cb(arg, e);
	for (size_t i = 0; i < e->n; i++) {
		int ret = each_elem(e->v[i], cb, arg);

		if (ret)
			return ret;
	}
	return 0;
}

/* Parses the elements of a captured block one by one into scratch,
 * handing each to cb; scratch is reset between elements so a million
 * elements never become a million nodes. */
int nfk_parse_elements(struct nfk_script *sc, const struct elem_src *es,
		       struct nfk_arena *scratch, struct nfk_diags *ds,
		       int (*cb)(void *arg, struct ex *elem), void *arg)
{
	P p = { .sc = sc, .ds = ds, .ar = scratch };

	if (!es->src)   /* a command that failed to parse has no block */
		return 0;
	/* lex only up to the closing brace */
	nfk_lex_init(&p.lx, es->src);
	p.lx.end = es->end;
	p.lx.pos = es->pos;
	p.lx.line = es->line;
	p.lx.col = es->col;
	p.lx.line_start = es->line_start;
	/* locations must point at the real source for diagnostics */
	ps_next(&p);
	ps_skip_nl(&p);
	while (p.tok.kind != T_EOF) {
		nfk_arena_reset(scratch);
		struct ex *e = ps_set_elem(&p);
		if (!e)
			return -EINVAL;
		int ret = each_elem(e, cb, arg);
		if (ret)
			return ret;
		ps_skip_nl(&p);
		if (ps_accept_kind(&p, ',')) {
			ps_skip_nl(&p);
			continue;
		}
		if (p.tok.kind != T_EOF) {
			ps_unexpected(&p, "comma or '}'");
			return -EINVAL;
		}
	}
	return 0;
}
