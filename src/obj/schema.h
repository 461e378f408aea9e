/* SPDX-License-Identifier: MIT */
/*
 * Declarative attribute schemas.
 *
 * Every nf_tables object (table, chain, rule, set, element, object,
 * expression...) is kept as the netlink attribute stream itself: decoding
 * is validation plus a copy, encoding is a copy, and attributes this build
 * does not know, or their order, survive untouched.  A schema says, per
 * attribute type, how long it may be, how to read it, what it is called,
 * and what it nests.  One table per object drives validation, typed access,
 * setting (the schema picks the byte order and width), generic printing and
 * equality.  Adding an attribute is one line in that table.
 */
#ifndef NFK_SCHEMA_H
#define NFK_SCHEMA_H

#include <stdio.h>

#include "../nl/nl.h"

enum nfk_kind {
	NFK_NONE = 0,   /* not described: kept as raw bytes */
	NFK_U8,
	NFK_BE16,
	NFK_BE32,
	NFK_BE64,
	NFK_U32,        /* host byte order */
	NFK_STR,        /* NUL-terminated string */
	NFK_BIN,        /* opaque bytes */
	NFK_NEST,       /* nested attributes described by .nest */
	NFK_LIST,       /* NFTA_LIST_ELEM entries, each described by .nest */
	NFK_DATA,       /* struct nft_data: NFTA_DATA_VALUE or NFTA_DATA_VERDICT */
	NFK_EXPR,       /* one expression: NFTA_EXPR_NAME + NFTA_EXPR_DATA */
	NFK_EXPRS,      /* NFTA_LIST_ELEM list of expressions */
	NFK_FLAG,       /* zero-length */
};

enum {
	NFK_F_REQUIRED = 1 << 0,  /* validation fails without it */
	NFK_F_HEX = 1 << 1,       /* generic print in hex */
};

struct nfk_schema;

struct nfk_field {
	const char *name;                /* NULL: undescribed slot */
	uint8_t kind;
	uint8_t flags;
	uint16_t maxlen;                 /* STR/BIN payload bound; 0 = any */
	const struct nfk_schema *nest;   /* NEST/LIST */
};

struct nfk_schema {
	const char *name;
	unsigned max;                    /* highest attribute type described */
	const struct nfk_field *fields;  /* indexed by type, max + 1 entries */
};

#define NFK_SCHEMA(sname, arr) { .name = (sname), .max = sizeof(arr) / sizeof((arr)[0]) - 1, .fields = (arr) }

/* Validation diagnostics for people and tests. */
struct nfk_verr {
	char msg[160];
	size_t offset;                   /* byte offset of the offending attribute */
	bool too_long;                   /* a string or bytes past the field's maxlen,
					    nothing else wrong before it */
};

/*
 * Checks attrs[0, len) against the schema, recursively: every described
 * attribute has a legal length, strings are terminated, nests are
 * well-formed, required attributes are present.  Undescribed types and
 * unknown expressions are accepted and kept.  0 or -EINVAL (err filled).
 */
int nfk_schema_validate(const struct nfk_schema *s, const void *attrs, size_t len,
			struct nfk_verr *err);

/* Prints the attributes generically ("name value" pairs, nests in braces);
 * used for objects and expressions with no specific printer. */
void nfk_schema_print(FILE *f, const struct nfk_schema *s, const void *attrs, size_t len);

/* Encodes an integer attribute with the width and byte order the schema
 * gives for that type.  false when it does not fit or the type is not an
 * integer in this schema. */
bool nfk_schema_put_uint(struct nfk_buf *b, const struct nfk_schema *s, uint16_t type, uint64_t v);

/* Reads an integer attribute whatever its kind (U8/BE16/BE32/BE64/U32).
 * false when absent or malformed. */
bool nfk_schema_get_uint(const struct nfk_schema *s, const struct nlattr *a, uint64_t *v);
/* The same from an index of attributes: tb[type] read through the
 * schema, or dflt when absent or malformed. */
uint64_t nfk_tb_uint(const struct nfk_schema *s, const struct nlattr *const *tb, unsigned type,
		     uint64_t dflt);

/* ---- expressions ------------------------------------------------------ */

/* Index of one expression's attributes, filled by nfk_expr_parse(). */
#define NFK_EXPR_MAXATTR 31

struct nfk_expr {
	const char *name;                          /* inside the source bytes */
	const struct nfk_expr_type *type;          /* NULL: unknown to this build */
	const void *data;                          /* NFTA_EXPR_DATA payload */
	size_t len;
	const struct nlattr *tb[NFK_EXPR_MAXATTR + 1];
};

/* The evaluator's machine: registers, verdict, packet (src/eval). */
struct nfk_vm;

struct nfk_expr_type {
	const char *name;
	const struct nfk_schema *schema;
	/* libnftnl debug format body, without "[ " and " ]"; NULL: generic. */
	void (*print)(FILE *f, const struct nfk_expr *e);
	/* Runs the expression as nft_do_chain would, on the machine's packet
	 * and registers: 0, or -EOPNOTSUPP when the expression is not
	 * modelled (the evaluator reports "unknown" at its rule, never a
	 * guess).  NULL: not modelled. */
	int (*eval)(struct nfk_vm *vm, const struct nfk_expr *e);
};

/* Looks an expression type up by its kernel name; NULL when unknown. */
const struct nfk_expr_type *nfk_expr_type_find(const char *name);

/* Parses one NFTA_LIST_ELEM expression nest (the payload of the list
 * element).  Unknown names are accepted.  0 or -EINVAL. */
int nfk_expr_parse(struct nfk_expr *e, const void *attrs, size_t len);

/* Prints "  [ ... ]\n" exactly as libnftnl's debug output does. */
void nfk_expr_print(FILE *f, const struct nfk_expr *e);

/* Prints every expression of an NFTA_RULE_EXPRESSIONS payload. */
void nfk_exprs_print(FILE *f, const void *list, size_t len);

/* Helpers for expression printers. */
uint32_t nfk_e_u32(const struct nfk_expr *e, unsigned type);   /* any integer kind, 0 if absent */
bool nfk_e_has(const struct nfk_expr *e, unsigned type);
const char *nfk_e_str(const struct nfk_expr *e, unsigned type); /* "" if absent */
/* Prints an nft_data nest as libnftnl does: value words "0x%08x " joined,
 * or the verdict name (with " -> chain" for jump/goto). */
void nfk_print_data(FILE *f, const struct nlattr *data_nest);
/* Prints raw register bytes as host-endian 0x%08x words separated by spaces. */
void nfk_print_words(FILE *f, const void *bytes, size_t len);
const char *nfk_verdict_name(int32_t code);

/* Expression schema building blocks shared by several expressions. */
extern const struct nfk_schema nfk_data_schema;     /* NFTA_DATA_* */
extern const struct nfk_schema nfk_verdict_schema;  /* NFTA_VERDICT_* */
extern const struct nfk_schema nfk_expr_schema;     /* NFTA_EXPR_* */

#endif
