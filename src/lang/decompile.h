/* SPDX-License-Identifier: MIT */
/* Decompiler internals (decompile*.c). */
#ifndef NFK_DECOMPILE_H
#define NFK_DECOMPILE_H

#include "kstate.h"

#define DC_MAXATTR 31

struct dc_expr {
	const char *name;
	const struct nlattr *tb[DC_MAXATTR + 1];
};

unsigned dc_type_members(uint32_t type, unsigned *ids, unsigned max);
int dc_expr_parse(struct dc_expr *e, const void *attrs, size_t len);
uint32_t dc_u32(const struct dc_expr *e, unsigned type, uint32_t dflt);
uint64_t dc_u64(const struct dc_expr *e, unsigned type, uint64_t dflt);
const char *dc_str(const struct dc_expr *e, unsigned type);
const uint8_t *dc_data_value(const struct nlattr *nest, size_t *len);
bool dc_data_verdict(const struct nlattr *nest, int32_t *code, const char **chain);
void dc_print_verdict(FILE *f, int32_t code, const char *chain);
void dc_print_typed(FILE *f, const struct nfk_dtype *t, enum nfk_byteorder bo, const uint8_t *v,
		    size_t len, unsigned flags);

/* What a register holds. */
enum dc_kind {
	RV_NONE, RV_PAYLOAD, RV_META, RV_CT, RV_IMM, RV_TEXT, RV_EXTHDR,
};

#define DC_TEXT 160
#define DC_VAL 64

struct dc_rv {
	enum dc_kind kind;
	unsigned base, off, len;        /* payload: base, byte offset; len: bytes */
	unsigned key, dir;
	const struct nfk_dtype *dtype;  /* RV_TEXT / resolved */
	enum nfk_byteorder bo;
	bool masked;
	uint8_t mask[16], xor_[16];
	unsigned shift;                 /* right shift applied (bitwise rshift) */
	bool byteorder;                 /* converted by a byteorder expression */
	uint8_t val[DC_VAL];            /* RV_IMM */
	bool verdict;
	int32_t code;
	char chain[256];
	char text[DC_TEXT];             /* RV_TEXT / RV_EXTHDR: the rendered selector */
};

#define DC_NREGS 24
#define DC_MAXSTMT 64

enum dc_dep { DEP_NONE, DEP_LL, DEP_L3, DEP_L4 };

struct dc_stmt {
	size_t start, end;     /* text in the rule's memstream */
	enum dc_dep dep;
	bool dead;
};

struct dc_rule {
	const struct nfk_kstate *ks;
	int family;
	const char *table;
	const struct nfk_list_opts *o;
	char *buf;
	size_t blen;
	FILE *out;             /* memstream collecting statement text */
	struct dc_rv reg[DC_NREGS];
	struct dc_stmt st[DC_MAXSTMT];
	unsigned nst;
	/* protocol context */
	unsigned ll_type;      /* ethertype */
	unsigned l3;           /* NFPROTO_* */
	unsigned l4;           /* IPPROTO_* + 1 (0: unknown) */
	int dep_ll, dep_l3, dep_l4;   /* statements establishing them, -1: none */
	/* a pending ">=" that may pair with a "<=" into a range */
	bool pend;
	uint32_t pend_reg, pend_done_reg;
	uint8_t pend_val[DC_VAL];
	size_t pend_len;
};

void dc_rule_init(struct dc_rule *r, const struct nfk_kstate *ks, int family, const char *table,
		  const struct nfk_list_opts *o);
void dc_expr(struct dc_rule *r, const struct dc_expr *e);
void dc_unknown(struct dc_rule *r, const char *name);
int dc_rule_finish(struct dc_rule *r, FILE *f);

/* statement helpers (decompile_stmt.c) */
FILE *dc_stmt_begin(struct dc_rule *r);
void dc_stmt_end(struct dc_rule *r, enum dc_dep dep);
struct dc_rv *dc_reg(struct dc_rule *r, uint32_t reg);
bool dc_stmt_expr(struct dc_rule *r, const struct dc_expr *e);
/* Renders the selector text of a register value and its dtype/bo. */
bool dc_rv_render(struct dc_rule *r, const struct dc_rv *rv, char *text, size_t size,
		  const struct nfk_dtype **dt, enum nfk_byteorder *bo, unsigned *bits);
/* Prints the elements of an anonymous/named set referenced in a rule. */
void dc_print_set_ref(struct dc_rule *r, FILE *f, const char *set, const struct nfk_dtype *kt,
		      enum nfk_byteorder bo);

#endif
