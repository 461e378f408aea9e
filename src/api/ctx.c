// SPDX-License-Identifier: MIT
/* Sessions: run nft text as one transaction, list as nft does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nfkit/nfkit.h"
#include "api.h"

#ifndef NFK_VERSION
#define NFK_VERSION "unknown"
#endif

NFK_API const char *nfk_version(void)
{
	return NFK_VERSION;
}

bool nfk_opts_valid(const void *opts, size_t sz, size_t known)
{
	const unsigned char *p = opts;

	if (sz < sizeof(size_t))
		return false;
	for (size_t i = known; i < sz; i++)
		if (p[i])
			return false;
	return true;
}

NFK_API int nfk_ctx_new(struct nfk_ctx **out)
{
	struct nfk_ctx *ctx = calloc(1, sizeof(*ctx));

	*out = ctx;
	if (!ctx)
		return -ENOMEM;
	ctx->out = stdout;
	ctx->err = stderr;
	return 0;
}

NFK_API void nfk_ctx_free(struct nfk_ctx *ctx)
{
	if (!ctx)
		return;
	nfk_sock_close(ctx->sock);
	for (size_t i = 0; i < ctx->nincs; i++)
		free(ctx->incs[i]);
	free(ctx->incs);
	for (size_t i = 0; i < ctx->ndefs; i++)
		free(ctx->defs[i]);
	free(ctx->defs);
	free(ctx);
}

NFK_API void nfk_ctx_set_flags(struct nfk_ctx *ctx, unsigned flags)
{
	ctx->flags = flags;
}

NFK_API unsigned nfk_ctx_flags(const struct nfk_ctx *ctx)
{
	return ctx->flags;
}

NFK_API void nfk_ctx_set_output(struct nfk_ctx *ctx, FILE *out, FILE *err)
{
	ctx->out = out ? out : stdout;
	ctx->err = err ? err : stderr;
}

static int push_str(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n] = strdup(s);
	if (!nv[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

NFK_API int nfk_ctx_add_include_path(struct nfk_ctx *ctx, const char *dir)
{
	return push_str(&ctx->incs, &ctx->nincs, dir);
}

NFK_API int nfk_ctx_define(struct nfk_ctx *ctx, const char *name, const char *value)
{
	char *def;
	int ret;

	if (asprintf(&def, "%s=%s", name, value) < 0)
		return -ENOMEM;
	ret = push_str(&ctx->defs, &ctx->ndefs, def);
	free(def);
	return ret;
}

int nfk_ctx_sock(struct nfk_ctx *ctx, struct nfk_sock **out)
{
	int ret = 0;

	if (!ctx->sock) {
		ret = nfk_sock_open(&ctx->sock);
		if (ret == 0)
			nfk_progress_attach(&ctx->progress, ctx->sock);
	}
	*out = ctx->sock;
	return ret;
}

void nfk_ctx_list_opts(const struct nfk_ctx *ctx, struct nfk_list_opts *o)
{
	/* CLI flag -> listing print flag, one row each. */
	static const struct { unsigned ctx, print; } map[] = {
		{ NFK_CTX_NUMERIC, NFK_PRINT_NUMERIC },
		{ NFK_CTX_SERVICE, NFK_PRINT_SERVICE },
		{ NFK_CTX_GUID, NFK_PRINT_GUID },
		{ NFK_CTX_NUMERIC_PROTO, NFK_PRINT_NUMERIC_PROTO },
		{ NFK_CTX_NUMERIC_TIME, NFK_PRINT_NUMERIC_TIME },
		{ NFK_CTX_REVERSEDNS, NFK_PRINT_RESOLVE },
	};

	memset(o, 0, sizeof(*o));
	o->handle = ctx->flags & NFK_CTX_HANDLE;
	o->stateless = ctx->flags & NFK_CTX_STATELESS;
	o->terse = ctx->flags & NFK_CTX_TERSE;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (ctx->flags & map[i].ctx)
			o->print |= map[i].print;
}

void nfk_ctx_print_diags(struct nfk_ctx *ctx, const struct nfk_diags *ds)
{
	unsigned n = ds->n < NFK_DIAG_MAX ? ds->n : NFK_DIAG_MAX;

	for (unsigned i = 0; i < n; i++)
		nfk_diag_print(ctx->err, &ds->d[i]);
}

static bool cmd_mutates(const struct nfk_cmd *c)
{
	switch (c->op) {
	case NFK_CMD_LIST:
	case NFK_CMD_GET:
	case NFK_CMD_DESCRIBE:
	case NFK_CMD_MONITOR:
		return false;
	default:
		return true;
	}
}

void nfk_kernel_err_diag(struct nfk_ctx *ctx, const struct nfk_script *sc,
			 const struct nfk_batch_err *e, const struct nfk_batch *b,
			 const struct nfk_kstate *ks, struct nfk_diags *ds)
{
	int32_t off = e->attr_off;
	const char *msg = nfk_elem_err_msg(b, e, ks, ctx->sock, &off);
	const struct nfk_loc *loc = nfk_script_err_loc(sc, e->cookie, off);
	struct nfk_loc none = { 0 };
	char hint[256];

	if (!msg && e->error == -ENOENT && sc)
		msg = nfk_script_enoent_hint(sc, ks, e->cookie, hint, sizeof(hint));
	if (msg)
		nfk_diag_add(ds, loc ? loc : &none, "%s", msg);
	else
		nfk_diag_add(ds, loc ? loc : &none, "Could not process rule: %s", strerror(-e->error));
}

/* Reports each kernel error at the source that produced the message, as
 * nft does: "Could not process rule: <strerror>" under a caret. */
static void report_kernel_errors(struct nfk_ctx *ctx, const struct nfk_script *sc,
				 const struct nfk_batch_err *errs, size_t nerrs,
				 const struct nfk_batch *b, const struct nfk_kstate *ks)
{
	for (size_t i = 0; i < nerrs; i++) {
		struct nfk_diags ds = { .n = 0 };

		nfk_kernel_err_diag(ctx, sc, &errs[i], b, ks, &ds);
		nfk_ctx_print_diags(ctx, &ds);
	}
}

static int run_mutations(struct nfk_ctx *ctx, struct nfk_script *sc, struct nfk_diags *ds)
{
	const struct nfk_batch_err *errs = NULL;
	struct nfk_compile_opts opts = { .echo = ctx->flags & NFK_CTX_ECHO };
	struct nfk_elem_probe probe;
	struct nfk_kstate *ks = NULL;
	struct nfk_batch *b = NULL;
	struct nfk_sock *sock = NULL;
	struct nfk_echo *echo = NULL;
	struct nfk_list_opts lo;
	bool dump = false;
	size_t nerrs = 0;
	int ret;

again:
	if (!(ctx->flags & NFK_CTX_OFFLINE)) {
		ret = nfk_ctx_sock(ctx, &sock);
		if (ret < 0)
			goto out;
		/* The compiler consults existing tables/chains/sets; a failing
		 * fetch only means it knows less, the kernel still decides. */
		/* No element dump before an add: the kernel checks overlaps
		 * (see elemerr.c), targeted lookups answer the rest (see
		 * elemprobe.c); a dump only for the retry below. */
		opts.ks_elems = dump;
		(void)nfk_script_needs_elems;
		nfk_elem_probe_init(&probe, sock);
		opts.probe = &probe;
		if ((opts.ks_elems ? nfk_kstate_fetch(&ks, sock, -1, NULL) :
				     nfk_kstate_fetch_meta(&ks, sock, -1, NULL)) < 0) {
			ks = NULL;
			opts.ks_elems = false;
		}
	}
	opts.ks = ks;
	ret = nfk_batch_new(&b);
	if (ret < 0)
		goto out;
	ret = nfk_script_compile(sc, &opts, b, ds);
	if (ret < 0) {
		nfk_ctx_print_diags(ctx, ds);
		goto out;
	}
	if (ctx->flags & NFK_CTX_DEBUG_NETLINK)
		nfk_batch_print_debug(ctx->out, b);
	if (ctx->flags & NFK_CTX_OFFLINE || nfk_batch_count(b) == 0)
		goto out;
	if (ctx->flags & NFK_CTX_ECHO) {
		ret = nfk_echo_new(&echo);
		if (ret < 0)
			goto out;
		nfk_batch_set_echo(b, nfk_echo_collect, echo);
	}
	ret = nfk_batch_send_checked(sock, b, ctx->flags & NFK_CTX_CHECK);
	errs = nfk_batch_errors(b, &nerrs);
	if (ret < 0 && nerrs && !dump && nfk_elem_err_wants_dump(b, errs, nerrs, ks)) {
		/* a new range swallows whole intervals of an auto-merge set:
		 * only the set's elements tell which, as nft knows them */
		nfk_echo_free(echo);
		nfk_batch_free(b);
		nfk_kstate_free(ks);
		echo = NULL;
		b = NULL;
		ks = NULL;
		nerrs = 0;
		dump = true;
		goto again;
	}
	if (ret < 0 && nerrs)
		report_kernel_errors(ctx, sc, errs, nerrs, b, ks);
	else if (ret < 0)
		fprintf(ctx->err, "Error: Could not process batch: %s\n", strerror(-ret));
	if (ret == 0 && echo) {
		nfk_ctx_list_opts(ctx, &lo);
		ret = nfk_echo_print(ctx->out, echo, ks, &lo);
	}
out:
	nfk_echo_free(echo);
	nfk_batch_free(b);
	nfk_kstate_free(ks);
	return ret;
}

static int run_listing(struct nfk_ctx *ctx, const struct nfk_cmd *c, struct nfk_diags *ds)
{
	struct nfk_list_opts lo;
	struct nfk_kstate *ks = NULL;
	struct nfk_sock *sock;
	int ret;

	ret = nfk_ctx_sock(ctx, &sock);
	if (ret < 0)
		return ret;
	nfk_ctx_list_opts(ctx, &lo);
	ret = nfk_kstate_fetch_list(&ks, sock, c->h.family,
				    c->obj == NFK_OBJ_RULESET ? NULL : c->h.table);
	if (ret == 0)
		ret = nfk_list_cmd(ctx->out, ks, c, &lo, ds);
	/* errors, or what nft says while listing (sets it leaves out) */
	if (ds->n)
		nfk_ctx_print_diags(ctx, ds);
	nfk_kstate_free(ks);
	return ret;
}

static int run_script(struct nfk_ctx *ctx, struct nfk_script *sc)
{
	struct nfk_diags ds = { .n = 0 };
	size_t n = nfk_script_ncmds(sc);
	bool mutates = false;
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		mutates |= cmd_mutates(nfk_script_cmd(sc, i));
	if (mutates) {
		ret = run_mutations(ctx, sc, &ds);
		if (ret < 0)
			return ret;
	}
	if (ctx->flags & NFK_CTX_OFFLINE)
		return 0;
	for (size_t i = 0; i < n && ret == 0; i++) {
		const struct nfk_cmd *c = nfk_script_cmd(sc, i);

		if (c->op == NFK_CMD_LIST) {
			ds.n = 0;
			ret = run_listing(ctx, c, &ds);
		} else if (c->op == NFK_CMD_GET && c->obj == NFK_OBJ_ELEMENT) {
			ds.n = 0;
			ret = nfk_ctx_get_elements(ctx, sc, c, &ds);
		} else if (c->op == NFK_CMD_RESET) {
			/* not silently: a reset that did nothing must not look done */
			ds.n = 0;
			nfk_diag_add(&ds, &c->loc, "reset is not supported by nfkit yet");
			nfk_ctx_print_diags(ctx, &ds);
			ret = -EOPNOTSUPP;
		}
	}
	return ret;
}

int nfk_ctx_run_script(struct nfk_ctx *ctx, struct nfk_script *sc)
{
	int ret = run_script(ctx, sc);

	nfk_progress_end(&ctx->progress);
	return ret;
}

/* nft -I include directories and -D definitions. */
static void parse_opts(const struct nfk_ctx *ctx, struct nfk_parse_opts *o)
{
	o->include_paths = (const char *const *)ctx->incs;
	o->ninclude = ctx->nincs;
	o->defines = (const char *const *)ctx->defs;
	o->ndefines = ctx->ndefs;
}

/* After errors in parsing, nft still evaluates the commands that parsed
 * and reports what it finds there too, up to ten errors in all: they are
 * compiled for that, never sent. */
static void report_parse_errors(struct nfk_ctx *ctx, struct nfk_script *sc,
				struct nfk_diags *ds)
{
	struct nfk_compile_opts opts = { .ks = NULL };
	struct nfk_diags ev = { .n = 0 };
	struct nfk_kstate *ks = NULL;
	struct nfk_batch *b = NULL;
	struct nfk_sock *sock;

	if (sc && nfk_script_ncmds(sc) && ds->n < NFK_DIAG_ERRORS && nfk_batch_new(&b) == 0) {
		if (!(ctx->flags & NFK_CTX_OFFLINE) && nfk_ctx_sock(ctx, &sock) == 0 &&
		    nfk_kstate_fetch_meta(&ks, sock, -1, NULL) < 0)
			ks = NULL;
		opts.ks = ks;
		if (nfk_script_compile(sc, &opts, b, &ev) < 0)
			for (unsigned i = 0; i < ev.n && i < NFK_DIAG_MAX && ds->n < NFK_DIAG_MAX; i++)
				ds->d[ds->n++] = ev.d[i];
		nfk_diags_settle(ds);
		nfk_batch_free(b);
		nfk_kstate_free(ks);
	}
	nfk_ctx_print_diags(ctx, ds);
}

NFK_API int nfk_ctx_run(struct nfk_ctx *ctx, const char *text)
{
	struct nfk_diags ds = { .n = 0 };
	struct nfk_script *sc = NULL;
	struct nfk_parse_opts po;
	int ret;

	parse_opts(ctx, &po);
	nfk_progress_start(&ctx->progress);
	ret = nfk_script_parse_opts(&sc, NULL, text, &po, &ds);
	if (ret == -EINVAL)
		report_parse_errors(ctx, sc, &ds);
	else if (ret < 0)
		nfk_ctx_print_diags(ctx, &ds);
	else
		ret = nfk_ctx_run_script(ctx, sc);
	nfk_script_free(sc);
	return ret;
}

NFK_API int nfk_ctx_run_file(struct nfk_ctx *ctx, const char *path)
{
	struct nfk_diags ds = { .n = 0 };
	struct nfk_script *sc = NULL;
	struct nfk_parse_opts po;
	int ret;

	parse_opts(ctx, &po);
	nfk_progress_start(&ctx->progress);
	ret = nfk_script_parse_file_opts(&sc, path, &po, &ds);
	if (ret == -EINVAL)
		report_parse_errors(ctx, sc, &ds);
	else if (ret < 0)
		nfk_ctx_print_diags(ctx, &ds);
	else
		ret = nfk_ctx_run_script(ctx, sc);
	nfk_script_free(sc);
	return ret;
}

NFK_API int nfk_ctx_list(struct nfk_ctx *ctx, FILE *out, int family, const char *table)
{
	struct nfk_diags ds = { .n = 0 };
	struct nfk_cmd c = {
		.op = NFK_CMD_LIST,
		.obj = table ? NFK_OBJ_TABLE : NFK_OBJ_RULESET,
		.h = { .family = family, .table = table },
	};
	FILE *saved = ctx->out;
	int ret;

	ctx->out = out ? out : ctx->out;
	ret = run_listing(ctx, &c, &ds);
	ctx->out = saved;
	return ret;
}
