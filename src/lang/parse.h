/* SPDX-License-Identifier: MIT */
/*
 * The parser's internals, shared by the parser core (parse.c), the
 * commands (script.c) and the family files, each of which parses its own
 * statements and selectors.  Names are ps_*.  Errors are reported once
 * (ps_err sets failed; later errors are dropped until recovery) and
 * parse functions return NULL/false after one.
 */
#ifndef NFK_PARSE_H
#define NFK_PARSE_H

#include "ast.h"

struct nfk_parser {
	struct nfk_script *sc;
	struct nfk_diags *ds;
	struct nfk_arena *ar;
	struct nfk_lexer lx;
	struct nfk_tok tok;          /* current token */
	struct nfk_tok la;           /* lookahead, when has_la */
	bool has_la;
	bool failed;                 /* an error was reported: unwinding */
	bool any_failed;             /* an error was reported and recovered from */
	bool eval_failed;            /* that error was ps_err_eval()'s */
	bool pend_eval;              /* ps_err_eval() has one for the rule */
	struct nfk_loc pend_loc;
	char pend_msg[256];
	bool eof_said;               /* "unexpected end of file" was reported */
	int depth;                   /* braces open at the current token */
	int family;                  /* family of the enclosing table */
	unsigned braces, parens;     /* nested sets and parentheses open */
	struct nfk_loc prev;         /* the last token consumed */
	bool in_typeof;              /* a set's typeof expressions */
};

typedef struct nfk_parser P;

/* How deep values may nest: where nft's parser stack (bison's YYMAXDEPTH,
 * 10000 entries) runs out on a rule, "memory exhausted" at the token after
 * the last set brace that fits, or at the parenthesis that does not fit
 * (sets take two entries a level). */
#define NFK_NEST_BRACES 4997
#define NFK_NEST_PARENS 9991

/* What nft's messages list after an item of a block. */
#define NL_SEMI "newline or semicolon"

/* ---- tokens --------------------------------------------------------- */

static inline void ps_next(P *p)
{
	p->prev = p->tok.loc;
	if (p->tok.kind == '}')
		p->depth--;
	if (p->has_la) {
		p->tok = p->la;
		p->has_la = false;
	} else {
		nfk_lex_next(&p->lx, &p->tok);
	}
	if (p->tok.kind == '{')
		p->depth++;
}

static inline const struct nfk_tok *ps_peek(P *p)
{
	if (!p->has_la) {
		nfk_lex_next(&p->lx, &p->la);
		p->has_la = true;
	}
	return &p->la;
}

static inline bool ps_is(P *p, const char *w)
{
	return nfk_tok_is(&p->tok, w);
}

static inline bool ps_accept(P *p, const char *w)
{
	if (!ps_is(p, w))
		return false;
	ps_next(p);
	return true;
}

static inline bool ps_accept_kind(P *p, int k)
{
	if (p->tok.kind != k)
		return false;
	ps_next(p);
	return true;
}

/* At the end of a statement: newline, ';', '}' or the end. */
static inline bool ps_at_end(P *p)
{
	int k = p->tok.kind;
	return k == T_NL || k == ';' || k == '}' || k == T_EOF;
}

/* Extends a to b's end when both are on one line. */
static inline void ps_span(struct nfk_loc *a, const struct nfk_loc *b)
{
	if (b->line == a->line && b->col_end > a->col_end)
		a->col_end = b->col_end;
}

/* Continues lexing at byte offset off into the current token. */
void ps_relex_from(P *p, size_t off);

/* ---- errors and recovery ------------------------------------------------ */

void ps_err(P *p, const struct nfk_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ps_err_eval(P *p, const struct nfk_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Reports the rule's ps_err_eval() error, if any: false then. */
bool ps_eval_flush(P *p);
/* "syntax error, unexpected X[, expecting WHAT]" at the current token. */
void ps_unexpected(P *p, const char *expecting);
void ps_unexpected_eof(P *p, const char *expecting);
/* An error nft reports from a grammar action: the parse goes on. */
void ps_err_soft(P *p, const struct nfk_loc *loc, const char *msg);
/* An error of evaluation about something that parsed whole (a declaration
 * nft then refuses): reported after the syntax errors, the parse goes on. */
void ps_err_eval_now(P *p, const struct nfk_loc *loc, const char *msg);
/* nft's recovery: skip to the end of the line; false: give up. */
bool ps_recover(P *p, int depth);
bool ps_obj_recover(P *p);
bool ps_at_cli_end(P *p);

/* ---- words, numbers, names ---------------------------------------------- */

char *ps_tokdup(P *p, const struct nfk_tok *t);
/* An identifier: a word or a quoted string; NULL after an error. */
const char *ps_ident(P *p, const char *what);
/* comment STRING's string (after "comment"): at most NFK_COMMENT_MAX bytes,
 * as nft takes them (NFTNL_UDATA_COMMENT_MAXLEN); NULL after an error. */
#define NFK_COMMENT_MAX 128
const char *ps_comment(P *p);
/* A table, chain, set, object or flowtable name as nft's grammar takes it:
 * an unquoted word (no variable, no quoted string, no number, no family
 * keyword); NULL after an error.  Their lengths are checked per command
 * once the input has parsed (script.c). */
const char *ps_name(P *p);
/* "syntax error, unexpected number, expecting WHAT" at the number a word
 * starting with digits begins with, as nft's scanner splits it. */
void ps_unexpected_number(P *p, const char *expecting);
bool ps_expect(P *p, int kind, const char *what);
bool ps_u64(const struct nfk_tok *t, uint64_t *v);
bool ps_number(P *p, uint64_t *v);
/* A number no greater than max: beyond it, nft's "Value N exceeds valid
 * range 0-MAX" at the number (the field it goes to is that wide). */
bool ps_number_max(P *p, uint64_t *v, uint64_t max);
bool ps_tokword(const struct nfk_tok *t, char *buf, size_t len);
/* One of the symbols' names at the current token: its value. */
bool ps_word_in(P *p, const struct nfk_sym *t, unsigned *v);
bool ps_flag_list(P *p, const struct nfk_sym *syms, uint32_t *flags);
bool ps_time(P *p, uint64_t *ms);
struct ex *ps_define(P *p, const struct nfk_tok *t);

/* ---- expressions ---------------------------------------------------------- */

struct ex *ps_ex(P *p, enum ex_kind kind, const struct nfk_loc *loc);
struct ex *ps_value(P *p);
struct ex *ps_range_value(P *p);
struct ex *ps_concat_value(P *p);
struct ex *ps_rhs(P *p);
struct ex *ps_set_block(P *p);
struct ex *ps_set_elem(P *p);
struct ex *ps_verdict_expr(P *p);
int ps_binop_at(P *p);
/* A selector, or NULL without error when the word starts none. */
struct ex *ps_selector(P *p);
/* A selector with binary operations and concatenations. */
struct ex *ps_lhs(P *p);
bool ps_push(P *p, struct ex *list, struct ex *item, size_t *cap);

/* ---- statements and blocks ----------------------------------------------- */

struct stmt *ps_st(P *p, enum st_kind kind, const struct nfk_loc *loc);
struct stmt *ps_stmt(P *p);
struct rule *ps_rule(P *p);
bool ps_end_sep(P *p, const char *expecting);
bool ps_end_item(P *p);
bool ps_end_strict(P *p, const char *expecting);
bool ps_obj_sep(P *p);
void ps_skip_seps(P *p);
void ps_skip_nl(P *p);
bool ps_capture_block(P *p, struct elem_src *es);
bool ps_capture_elems(P *p, struct elem_src *es);

#endif
