/* SPDX-License-Identifier: MIT */
/* Decompiler internals (decompile*.c). */
#ifndef NFK_DECOMPILE_H
#define NFK_DECOMPILE_H

#include "print.h"
#include "../obj/schema.h"

#define DC_MAXATTR 31

struct dc_expr {
	const char *name;
	const struct nfk_expr_type *type;   /* its schema; NULL: unknown */
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
/* A bound of a range "a-b" as nft prints it: numbers, times in seconds. */
void dc_print_bound(FILE *f, const struct nfk_dtype *t, enum nfk_byteorder bo, const uint8_t *v,
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
	unsigned lshift;                /* left shift applied (bitwise lshift) */
	unsigned xop;                   /* RV_EXTHDR: NFT_EXTHDR_OP_* */
	bool present;                   /* RV_EXTHDR: existence check */
	bool cont;                      /* later part of a map result spanning registers */
	int revive[4];                  /* map value: statements its key made dead */
	unsigned nrevive;
	bool byteorder;                 /* converted by a byteorder expression */
	uint8_t val[DC_VAL];            /* RV_IMM */
	bool verdict;
	int32_t code;
	char chain[256];
	char text[DC_TEXT];             /* RV_TEXT / RV_EXTHDR: the rendered selector */
};

#define DC_NREGS 24
#define DC_MAXSTMT 64

enum dc_dep { DEP_NONE, DEP_LL, DEP_L3, DEP_L4, DEP_VLAN, DEP_ICMP };

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
	/* link-layer headers seen so far: ether, then each vlan tag a type
	 * match announced (bit offsets from the link-layer start) */
	const struct nfk_proto *ll_proto[4];
	unsigned ll_start[4], ll_n;
	int dep_ll, dep_l3, dep_l4;   /* statements establishing them, -1: none */
	int dep_vlan;          /* "ether type 8021q" */
	int dep_icmp;          /* "icmp type X": selects icmp fields sharing an offset */
	unsigned icmp_type;    /* X + 1 (0: none) */
	bool vlan_kill;        /* a vlan field was used by the current statement */
	bool in_stmt;          /* rendering a statement's operands, not a match */
	bool last_payload;     /* the match being ended compared a payload */
	bool dep_l4_payload;   /* dep_l4 is an ip protocol / ip6 nexthdr match */
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

/* A statement other than a match ends what matches before it can imply:
 * nft keeps "meta nfproto ipv4 counter ip saddr 1.2.3.4" as written. */
void dc_deps_reset(struct dc_rule *r);

/* statement helpers (decompile_stmt.c) */
FILE *dc_stmt_begin(struct dc_rule *r);
void dc_stmt_end(struct dc_rule *r, enum dc_dep dep);
struct dc_rv *dc_reg(struct dc_rule *r, uint32_t reg);
void dc_set_reg(struct dc_rule *r, uint32_t reg, const struct dc_rv *v);
/* Renders the selector text of a register value and its dtype/bo. */
bool dc_rv_render(struct dc_rule *r, const struct dc_rv *rv, char *text, size_t size,
		  const struct nfk_dtype **dt, enum nfk_byteorder *bo, unsigned *bits);
/* How a rule sees a set's keys: a masked header field (ip dscp) keeps the
 * unshifted bytes in the set, printed as the field's value. */
struct dc_view {
	const struct nfk_dtype *dtype;  /* NULL: the set's own key type */
	unsigned shift, bits;           /* value = (key >> shift) & (2^bits - 1) */
	bool raw;                       /* a raw payload: values in hex */
	/* the same per member of a concatenation (dtype NULL: as the set says) */
	struct dc_mview {
		const struct nfk_dtype *dtype;
		unsigned shift, bits, len;  /* len: bytes the member loads */
	} m[8];
	unsigned nm;
};

/* Prints the elements of an anonymous/named set referenced in a rule. */
void dc_print_set_ref(struct dc_rule *r, FILE *f, const char *set, const struct dc_view *view);
void dc_print_elements(FILE *f, const struct nfk_kstate *ks, const struct ks_set *set,
		       const struct nfk_list_opts *o, bool named, const struct dc_view *view);
/* Renders a register operand with its bitwise operations ("ct mark | 0x1",
 * "(meta mark | 0x10) << 8"); false when the register holds nothing known. */
bool dc_rv_expr(struct dc_rule *r, const struct dc_rv *rv, char *text, size_t size);
/* Names the field a masked payload/exthdr register selects (ip dscp). */
bool dc_rv_field(struct dc_rule *r, const struct dc_rv *rv, char *text, size_t size,
		 const struct nfk_dtype **dt);

/* Renders the (possibly concatenated) key that starts at sreg and spans
 * len bytes ("ip saddr . ip daddr"). */
bool dc_key_text(struct dc_rule *r, uint32_t sreg, unsigned len, char *text, size_t size);

/* ---- statement helpers (decompile.c) -------------------------------------- */

/* Prints one statement (fn), apart from the matches it ends. */
void dc_stmt_run(struct dc_rule *r, const struct dc_expr *e,
		 void (*fn)(struct dc_rule *r, FILE *f, const struct dc_expr *e));
/* Sets a register's text (bounded, as every decompiler field; cut rather
 * than overflowed); the length it needed. */
int dc_rv_text(struct dc_rv *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A load that leaves text in its register (fib, socket, rt ...). */
void dc_load_text(struct dc_rule *r, const struct dc_expr *e, unsigned dreg_attr,
		  bool (*fn)(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v));
/* The register an attribute of e names, or NULL. */
const struct dc_rv *dc_operand(struct dc_rule *r, const struct dc_expr *e, unsigned attr);
void dc_print_operand(struct dc_rule *r, FILE *f, const struct dc_rv *v,
		      const struct nfk_dtype *dt, enum nfk_byteorder bo, unsigned len);
void dc_print_code(FILE *f, const char *dtname, unsigned code);
void dc_kill_dep(struct dc_rule *r, int *d);
bool dc_nest_index(const struct nlattr *nest, const struct nlattr **tb, unsigned max);
/* The prefix length of [a, b] when it is one (listelem.c), else -1. */
int dc_range_prefix(const uint8_t *a, const uint8_t *b, size_t len);

#endif
