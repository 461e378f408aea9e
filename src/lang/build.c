// SPDX-License-Identifier: MIT
/* Scripts built from typed arguments (build.h): commands whose bodies are
 * filled in directly, for the library's object API.  Names never pass
 * through the lexer; element lists and object bodies do, each through the
 * parser of exactly that. */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "family.h"

int nfk_build_new(struct nfk_script **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

/* A name the kernel can take: at most max bytes (NFT_*_MAXNAMELEN with
 * its NUL), any bytes otherwise. */
static int check_name(const char *name, size_t max, const char *what, struct nfk_diags *ds)
{
	size_t len;

	if (!name) {
		nfk_diag_add(ds, NULL, "no %s name given", what);
		return -EINVAL;
	}
	len = strlen(name);
	if (len > max) {
		nfk_diag_add(ds, NULL, "%s name is %zu bytes long, the kernel takes at most %zu",
			     what, len, max);
		return -ENAMETOOLONG;
	}
	return 0;
}

static int check_family(int family, struct nfk_diags *ds)
{
	if (family < 0 || !nfk_family_name((unsigned)family)) {
		nfk_diag_add(ds, NULL, "unknown family %d", family);
		return -EINVAL;
	}
	return 0;
}

/* The table's name, and the other name (chain, set, object) when given. */
static int check_names(int family, const char *table, const char *name, const char *what,
		       struct nfk_diags *ds)
{
	int ret = check_family(family, ds);

	if (!ret)
		ret = check_name(table, NFT_TABLE_MAXNAMELEN - 1, "table", ds);
	if (!ret && what)
		ret = check_name(name, NFT_NAME_MAXLEN - 1, what, ds);
	return ret;
}

static const char *arena_dup(struct nfk_script *sc, const char *s)
{
	return nfk_arena_strndup(&sc->arena, s, strlen(s));
}

/* Appends an `add` command for obj, with its names copied. */
static struct nfk_cmd *add_cmd(struct nfk_script *sc, enum nfk_obj_kind obj, int family,
			       const char *table)
{
	struct nfk_cmd *c;

	if (sc->ncmds == sc->cap) {
		size_t nc = sc->cap ? sc->cap * 2 : 4;
		struct nfk_cmd *n = realloc(sc->cmds, nc * sizeof(*n));

		if (!n)
			return NULL;
		sc->cmds = n;
		sc->cap = nc;
	}
	c = &sc->cmds[sc->ncmds];
	memset(c, 0, sizeof(*c));
	c->op = NFK_CMD_ADD;
	c->obj = obj;
	c->h.family = family;
	c->h.index = UINT32_MAX;
	c->body = nfk_arena_alloc(&sc->arena, sizeof(struct cmd_body));
	c->h.table = arena_dup(sc, table);
	if (!c->body || !c->h.table)
		return NULL;
	sc->ncmds++;
	return c;
}

/* A private copy of text as a source of the script (nameless: errors in
 * it print as nft prints those of command-line input). */
static struct nfk_src *add_src(struct nfk_script *sc, const char *text)
{
	size_t len = strlen(text);
	struct nfk_src *src;
	char *copy;

	if (sc->nsrcs >= sizeof(sc->srcs) / sizeof(sc->srcs[0]))
		return NULL;
	src = calloc(1, sizeof(*src));
	copy = malloc(len + 1);
	if (!src || !copy) {
		free(src);
		free(copy);
		return NULL;
	}
	memcpy(copy, text, len + 1);
	src->text = copy;
	src->len = len;
	sc->srcs[sc->nsrcs++] = src;
	return src;
}

/* The location of a source's first line, as a whole (kernel errors about
 * what it holds point there when they name nothing smaller). */
static struct nfk_loc first_line(const struct nfk_src *src)
{
	size_t end = 0;

	while (end < src->len && src->text[end] != '\n')
		end++;
	if (!end)
		return (struct nfk_loc){ 0 };
	return (struct nfk_loc){ .src = src, .line = 1, .col = 1, .col_end = (uint32_t)end };
}

int nfk_build_table(struct nfk_script *sc, int family, const char *table, struct nfk_diags *ds)
{
	int ret = check_names(family, table, NULL, NULL, ds);

	if (ret)
		return ret;
	return add_cmd(sc, NFK_OBJ_TABLE, family, table) ? 0 : -ENOMEM;
}

int nfk_build_chain(struct nfk_script *sc, int family, const char *table, const char *chain,
		    const struct nfk_build_hook *hook, struct nfk_diags *ds)
{
	const char *hookname = NULL;
	struct chain_decl *d = NULL;
	struct nfk_cmd *c;
	int ret = check_names(family, table, chain, "chain", ds);

	if (ret)
		return ret;
	if (hook) {
		if (!hook->type) {
			nfk_diag_add(ds, NULL, "base chain without a type");
			return -EINVAL;
		}
		hookname = nfk_hook_name((unsigned)family, hook->hooknum);
		if (!hookname) {
			nfk_diag_add(ds, NULL, "unknown chain hook %u", hook->hooknum);
			return -EINVAL;
		}
		if (hook->policy != -1 && hook->policy != NF_ACCEPT && hook->policy != NF_DROP) {
			nfk_diag_add(ds, NULL, "unknown chain policy %d", hook->policy);
			return -EINVAL;
		}
		if (hook->device && strlen(hook->device) >= IFNAMSIZ) {
			nfk_diag_add(ds, NULL, "device name too long: at most %d characters",
				     IFNAMSIZ - 1);
			return -ENAMETOOLONG;
		}
	}
	c = add_cmd(sc, NFK_OBJ_CHAIN, family, table);
	if (!c || !(c->h.chain = arena_dup(sc, chain)))
		return -ENOMEM;
	if (hook) {
		d = nfk_arena_alloc(&sc->arena, sizeof(*d));
		if (!d)
			return -ENOMEM;
		d->name = c->h.chain;
		d->base = true;
		d->type = arena_dup(sc, hook->type);
		d->hook = hookname;
		d->prio.offset = hook->prio;
		d->policy = hook->policy;
		d->rules_tail = &d->rules;
		if (hook->device) {
			d->devices = nfk_arena_alloc(&sc->arena, sizeof(*d->devices));
			if (!d->devices || !(d->devices[0] = arena_dup(sc, hook->device)))
				return -ENOMEM;
			d->ndev = 1;
		}
		if (!d->type)
			return -ENOMEM;
	}
	((struct cmd_body *)c->body)->chain = d;
	return 0;
}

/* "a . b . c": the type names between the dots. */
static int split_types(struct nfk_script *sc, const char *types, const char **out, unsigned max,
		       unsigned *n, struct nfk_diags *ds)
{
	const char *s = types;

	*n = 0;
	for (;;) {
		size_t len;

		s += strspn(s, " \t");
		len = strcspn(s, " \t.");
		if (!len || *n == max) {
			nfk_diag_add(ds, NULL, len ? "too many concatenated types in \"%s\"" :
					       "a type name is missing in \"%s\"", types);
			return -EINVAL;
		}
		if (!(out[(*n)++] = nfk_arena_strndup(&sc->arena, s, len)))
			return -ENOMEM;
		s += len;
		s += strspn(s, " \t");
		if (!*s)
			return 0;
		if (*s++ != '.') {
			nfk_diag_add(ds, NULL, "type names are joined by '.' in \"%s\"", types);
			return -EINVAL;
		}
	}
}

/* As many type names as the text has (nft takes any number). */
static int split_types_all(struct nfk_script *sc, const char *types, const char ***out,
			   unsigned *n, struct nfk_diags *ds)
{
	unsigned max = 1;

	for (const char *s = types; *s; s++)
		max += *s == '.';
	*out = nfk_arena_alloc(&sc->arena, max * sizeof(**out));
	return *out ? split_types(sc, types, *out, max, n, ds) : -ENOMEM;
}

int nfk_build_set(struct nfk_script *sc, int family, const char *table, const char *set,
		  const struct nfk_build_set *o, struct nfk_diags *ds)
{
	const uint32_t known = NFT_SET_CONSTANT | NFT_SET_INTERVAL | NFT_SET_TIMEOUT | NFT_SET_EVAL;
	struct set_decl *d;
	struct nfk_cmd *c;
	int ret = check_names(family, table, set, "set", ds);

	if (ret)
		return ret;
	if (!o || !o->key_type) {
		nfk_diag_add(ds, NULL, "set definition does not specify key");
		return -EINVAL;
	}
	if (o->flags & ~known) {
		nfk_diag_add(ds, NULL, "set flags 0x%x: only constant, interval, timeout and dynamic",
			     o->flags);
		return -EINVAL;
	}
	d = nfk_arena_alloc(&sc->arena, sizeof(*d));
	if (!d)
		return -ENOMEM;
	ret = split_types_all(sc, o->key_type, &d->key_types, &d->nkey, ds);
	if (!ret && o->data_type)
		ret = split_types_all(sc, o->data_type, &d->data_types, &d->ndata, ds);
	if (ret)
		return ret;
	c = add_cmd(sc, o->data_type ? NFK_OBJ_MAP : NFK_OBJ_SET, family, table);
	if (!c || !(c->h.set = arena_dup(sc, set)))
		return -ENOMEM;
	d->name = c->h.set;
	d->is_map = o->data_type != NULL;
	d->data_type = d->ndata ? d->data_types[0] : NULL;
	d->flags = o->flags | (o->timeout_ms ? NFT_SET_TIMEOUT : 0);
	d->timeout = o->timeout_ms;
	d->size = o->size;
	d->policy = -1;
	((struct cmd_body *)c->body)->set = d;
	return 0;
}

int nfk_build_elements(struct nfk_script *sc, int family, const char *table, const char *set,
		       const char *elements, struct nfk_diags *ds)
{
	const struct nfk_src *src;
	struct nfk_cmd *c;
	int ret = check_names(family, table, set, "set", ds);

	if (ret)
		return ret;
	if (!elements) {
		nfk_diag_add(ds, NULL, "no elements given");
		return -EINVAL;
	}
	src = add_src(sc, elements);
	if (!src)
		return -ENOMEM;
	{
		/* nft's element block holds at least one element ("{ }" is a
		 * syntax error); the rest is the element parser's, later */
		struct nfk_lexer lx;
		struct nfk_tok tok;

		nfk_lex_init(&lx, src);
		do
			nfk_lex_next(&lx, &tok);
		while (tok.kind == T_NL);
		if (tok.kind == T_EOF) {
			nfk_diag_add(ds, NULL, "no elements given");
			return -EINVAL;
		}
	}
	c = add_cmd(sc, NFK_OBJ_ELEMENT, family, table);
	if (!c || !(c->h.set = arena_dup(sc, set)))
		return -ENOMEM;
	/* the whole text is the inside of the block: the element parser
	 * lexes it up to its end, and a '}' in it is an error there */
	((struct cmd_body *)c->body)->elems = (struct elem_src){
		.src = src, .pos = 0, .end = src->len, .line = 1, .col = 1, .line_start = 0,
	};
	c->loc = c->h.loc = first_line(src);
	return 0;
}

/* The object kind words of nft's `add` command. */
static int obj_kind(struct nfk_parser *p)
{
	static const struct { const char *w; enum nfk_obj_kind kind; } kinds[] = {
		{ "counter", NFK_OBJ_COUNTER }, { "quota", NFK_OBJ_QUOTA },
		{ "limit", NFK_OBJ_LIMIT }, { "synproxy", NFK_OBJ_SYNPROXY },
		{ "secmark", NFK_OBJ_SECMARK },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (ps_accept(p, kinds[i].w))
			return (int)kinds[i].kind;
	if (ps_accept(p, "ct")) {
		int k = ps_ct_obj_kind(&p->tok);

		if (k >= 0 && k != NFK_OBJ_CT_HELPERS) {
			ps_next(p);
			return k;
		}
		ps_unexpected(p, "timeout or expectation or helper");
		return -1;
	}
	ps_unexpected(p, "counter or quota or limit or synproxy or secmark or ct");
	return -1;
}

/* Parses an object body (build.h) into o: its kind word, then what
 * ps_obj_body takes after an `add` command's name, then the end of the
 * text.  A ';' or anything after the body is a syntax error. */
static int parse_obj_body(struct nfk_script *sc, const struct nfk_src *src, int family,
			  struct obj_decl *o, struct nfk_diags *ds)
{
	struct nfk_parser p = { .sc = sc, .ds = ds, .ar = &sc->arena, .family = family };
	struct nfk_loc kind_loc;
	bool ok;
	int kind;

	nfk_lex_init(&p.lx, src);
	ps_next(&p);
	ps_skip_nl(&p);
	o->loc = kind_loc = p.tok.loc;
	kind = obj_kind(&p);
	if (kind >= 0)
		o->kind = (enum nfk_obj_kind)kind;
	ok = kind >= 0 && ps_obj_body(&p, o, &kind_loc, true);
	if (ok && !p.failed) {
		ps_span(&o->loc, &p.prev);
		ps_skip_nl(&p);
		if (p.tok.kind != T_EOF)
			ps_unexpected(&p, "end of file");
	}
	if (p.failed || p.any_failed)
		return -EINVAL;
	return ok ? 0 : -ENOMEM;
}

int nfk_build_object(struct nfk_script *sc, int family, const char *table, const char *name,
		     const char *body, struct nfk_diags *ds)
{
	const struct nfk_src *src;
	struct obj_decl *o;
	struct nfk_cmd *c;
	int ret = check_names(family, table, name, "object", ds);

	if (ret)
		return ret;
	if (!body) {
		nfk_diag_add(ds, NULL, "no object body given");
		return -EINVAL;
	}
	src = add_src(sc, body);
	o = src ? nfk_arena_alloc(&sc->arena, sizeof(*o)) : NULL;
	if (!o || !(o->name = arena_dup(sc, name)))
		return -ENOMEM;
	ret = parse_obj_body(sc, src, family, o, ds);
	if (ret)
		return ret;
	c = add_cmd(sc, o->kind, family, table);
	if (!c)
		return -ENOMEM;
	c->h.set = o->name;
	c->loc = c->h.loc = o->loc;
	((struct cmd_body *)c->body)->obj = o;
	return 0;
}
