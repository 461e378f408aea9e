/* SPDX-License-Identifier: MIT */
/*
 * The families of the nft language.  A family file (payload.c, meta.c,
 * ct.c, fib.c, nat.c, log.c, ...) holds one selector or statement family
 * whole, for every side of it: its keyword tables, parse hooks, type
 * checks, compile, decompile (listing) and typeof.  It exports one
 * struct lang_family; family.c lists them.  The shared mechanisms (lexer,
 * parser core, types, dependencies, registers, element writer, listing)
 * call the families only through these hooks.
 *
 * Adding a selector key is one line of its family's key table; adding a
 * statement is one file and one line in family.c.
 */
#ifndef NFK_FAMILY_H
#define NFK_FAMILY_H

#include "parse.h"
#include "compile.h"
#include "decompile.h"
#include "print.h"
#include "udata.h"
#include "../obj/objects.h"
#include "../obj/expr/expr.h"

/* A statement introduced by a keyword.  parse may decline: NULL without
 * an error (p->failed unset) lets the parser try the next family, then
 * read the words as a match.  It must not have consumed tokens then. */
struct lang_word {
	const char *word;
	struct stmt *(*parse)(struct nfk_parser *p);
};

/* A kernel expression the family lists: load sets what its destination
 * register holds (and may hand a write of the same expression to
 * dc_stmt_run); stmt prints the statement (counter, nat ...). */
struct lang_dc {
	const char *expr;
	void (*load)(struct dc_rule *r, const struct dc_expr *e);
	void (*stmt)(struct dc_rule *r, FILE *f, const struct dc_expr *e);
};

/* typeof: nft's user data number for an expression kind, how to write the
 * expression's description and how to print it back. */
struct lang_typeof {
	enum ex_kind kind;
	uint32_t id;
	bool (*put)(struct ud_buf *u, const struct ex *e);
	bool (*print)(FILE *f, const struct ud_tlv *d);
};

struct lang_family {
	const char *name;
	/* statements by leading keyword; NULL word ends */
	const struct lang_word *words;
	/* selectors: one at the current token, or NULL without error when
	 * the token starts none of this family's */
	struct ex *(*selector)(struct nfk_parser *p);
	/* "SELECTOR set VALUE" of its selectors, after the generic parse:
	 * may rewrite the statement (meta secmark set is an objref) */
	bool (*set_parsed)(struct nfk_parser *p, struct stmt *s);
	/* the expression kinds it owns (EX_NONE ends), what they load, and
	 * their writes ("SELECTOR set VALUE", statements of kind ST_SET) */
	const enum ex_kind *ex_kinds;
	bool (*resolve)(struct rctx *r, const struct ex *e, struct sel *s);
	bool (*load)(struct rctx *r, const struct sel *s, unsigned dreg);
	bool (*store)(struct rctx *r, const struct stmt *st);
	/* a copy of one of its selectors adjusted for the value it is matched
	 * against (fib ... exists asks for presence); false: unchanged */
	bool (*match_value)(struct ex *lhs, const struct ex *rhs);
	/* the statement kinds it compiles (ST_NONE ends), and those of them
	 * after which a rule can do nothing more */
	const enum st_kind *st_kinds;
	const enum st_kind *terminal;
	bool (*compile)(struct rctx *r, const struct stmt *st);
	/* where nft marks a kernel error about a statement's own expression
	 * (cc_stmt_keyword: the keyword its grammar allocates it at); NULL:
	 * the whole statement */
	struct nfk_loc (*err_loc)(const struct stmt *st);
	/* kernel expressions it lists; NULL expr ends */
	const struct lang_dc *dc;
	/* typeof of its expression kinds; id 0 ends */
	const struct lang_typeof *typeofs;
};

#define NFK_LANG_FAMILIES(X) \
	X(match) X(exthdr) X(fib) X(numgen) X(ct) X(payload) X(meta) X(stateful) \
	X(log) X(reject) X(nat) X(queue) X(object) X(set) X(flowtable)

#define NFK_LANG_DECLARE(n) extern const struct lang_family nfk_lang_##n;
NFK_LANG_FAMILIES(NFK_LANG_DECLARE)
#undef NFK_LANG_DECLARE

/* family.c: lookups over the registry. */
const struct lang_family *nfk_lang_by_ex(enum ex_kind k);
const struct lang_family *nfk_lang_by_st(enum st_kind k);
/* A statement's keyword, as an err_loc hook; and its whole text. */
struct nfk_loc cc_stmt_keyword(const struct stmt *st);
struct nfk_loc cc_stmt_whole(const struct stmt *st);
bool nfk_lang_terminal(enum st_kind k);
const struct lang_dc *nfk_lang_dc(const char *expr);
const struct lang_typeof *nfk_lang_typeof_by_kind(enum ex_kind k);
const struct lang_typeof *nfk_lang_typeof_by_id(uint32_t id);
/* The statement parser of a keyword, trying the families in order; NULL
 * without error when none takes it. */
struct stmt *nfk_lang_parse_word(struct nfk_parser *p);
/* A selector at the current token, trying the families in order. */
struct ex *nfk_lang_parse_selector(struct nfk_parser *p);

/* ---- entry points between families and the command parser ---------------- */

/* match.c: a match statement after its selector */
struct stmt *ps_match(P *p, struct ex *lhs);
/* table.c: priorities of chains and flowtables */
bool ps_priority(P *p, struct prio_spec *ps);
bool cc_priority(struct cctx *c, int family, int hooknum, const struct prio_spec *ps,
		 const char *where, int32_t *out);
struct chain_decl *ps_chain_new(P *p, const struct nfk_loc *loc);
bool ps_chain_body(P *p, struct chain_decl *c);
bool ps_table_body(P *p, struct table_decl *t);
/* After "devices": "= { NAME, ... }" or "= $VAR" (chains and flowtables). */
bool ps_devices(P *p, const char ***out, unsigned *n);
/* table.c: rename chain (NEWCHAIN by handle, with the new name). */
bool cc_rename_chain(struct cctx *c, const struct nfk_cmd *cmd);
/* A hook's device list (NFTA_HOOK_DEVS, NFTA_FLOWTABLE_HOOK_DEVS). */
bool cc_put_devices(struct nfk_buf *b, uint16_t attr, const char *const *devs, unsigned n);
/* set.c */
struct set_decl *ps_set_new(P *p, const struct nfk_loc *loc, bool is_map);
bool ps_set_body(P *p, struct set_decl *s);
/* flowtable.c */
bool ps_flowtable_body(P *p, struct flowtable_decl *f);
/* object.c */
int ps_ct_obj_kind(const struct nfk_tok *t);
bool ps_obj_body(P *p, struct obj_decl *o, const struct nfk_loc *name_loc, bool cmd);
/* stateful.c: units shared with objects */
bool ps_byte_unit(const struct nfk_tok *t, uint64_t *mult);
bool ps_limit_args(P *p, struct st_limit *l);
bool ps_quota_args(P *p, struct st_quota *q);
/* object.c: "name X" after counter/limit/quota/synproxy */
struct stmt *ps_stateful_start(P *p, enum st_kind kind, uint32_t objtype, bool *ref);
/* object.c: an object's name as a rule or an object map names it fits the
 * kernel's NFT_OBJ_MAXNAMELEN with its NUL; nft's error at loc otherwise */
bool cc_objref_name_ok(struct cctx *c, const char *name, const struct nfk_loc *loc);
/* nat.c: an address or port, or "selector map { ... }" (also dup/fwd) */
struct ex *ps_nat_operand(P *p);
bool cc_nat_operand(struct rctx *r, const struct ex *x, const struct nfk_dtype *t,
		    unsigned bits, unsigned *reg, unsigned *regmax, unsigned *next_reg);
/* nat.c: the address/port/device operands of tproxy, dup and fwd, and
 * how a statement's address is listed */
bool cc_fwd_operands(struct rctx *r, const struct stmt *st, unsigned *fam, unsigned *areg,
		     unsigned *preg, unsigned *dreg);
unsigned dc_stmt_family(const struct dc_rule *r, uint32_t fam);
void dc_print_addr(struct dc_rule *r, FILE *f, const struct dc_rv *v, unsigned fam,
		   bool brackets);
/* exthdr.c */
struct ex *ps_exthdr(P *p, unsigned op, const struct nfk_loc *loc, bool need_field);
bool ps_exthdr_has_field(const struct nfk_exthdr *xh, const struct nfk_tok *t);

/* Listing helpers the families share (stateful.c, decompile*.c). */
void dc_print_counter(FILE *f, const struct nlattr *const *tb, const struct nfk_list_opts *o,
		      const char *sep);
void dc_print_limit(FILE *f, const struct nlattr *const *tb);
void dc_print_quota(FILE *f, const struct nlattr *const *tb, const struct nfk_list_opts *o);
void dc_print_synproxy(FILE *f, uint32_t flags, uint16_t mss, uint8_t wscale, const char *sep);

#endif
