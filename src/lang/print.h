/* SPDX-License-Identifier: MIT */
/*
 * The listing printer's entry points over the ruleset model
 * (src/state/kstate.h): types, values, elements, set blocks, statements
 * and object bodies printed as nft lists them.  list.c, echo.c and the
 * decompiler implement and share them.
 */
#ifndef NFK_PRINT_H
#define NFK_PRINT_H

#include "lang.h"
#include "../obj/schema.h"

/* Prints a set's key (or data) type as nft does ("ipv4_addr",
 * "ipv4_addr . inet_service", "verdict") from its type id and length. */
void ks_print_type(FILE *f, uint32_t type, uint32_t len);

/* Prints one value of a set key type / data type as nft lists it. */
void ks_print_value(FILE *f, uint32_t type, const uint8_t *v, size_t len, unsigned flags,
		    const uint8_t *udata, size_t ulen, bool is_data);

/* Prints the typeof expression text stored in a set's udata (key or data);
 * returns false when there is none (or it cannot be read). */
bool ks_print_typeof(FILE *f, const uint8_t *udata, size_t ulen, bool data);

/* True when a set's key was declared as raw payload bits (@nh,64,8):
 * nft prints its elements in hex. */
bool ks_typeof_raw(const uint8_t *udata, size_t ulen);

/* Prints the elements of a set as nft does inside "{ ... }" (anonymous
 * sets in rules: single-line; named sets: with nft's line wrapping). */
void ks_print_elements(FILE *f, const struct nfk_kstate *ks, const struct ks_set *set,
		       const struct nfk_list_opts *o, bool named, const char *indent);

/* Prints set-element / set statements (counter, limit, quota...) nested in
 * an NFTA_LIST_ELEM list or a single NFTA_SET_EXPR expression. */
void ks_print_expr_stmt(FILE *f, const struct nfk_kstate *ks, int family, const char *table,
			const void *data, size_t len, bool list, const struct nfk_list_opts *o);

/* Prints the body lines of a stateful object (NFTA_OBJ_DATA) as nft does. */
void ks_print_obj_body(FILE *f, uint32_t type, const struct nlattr *data,
		       const struct nfk_list_opts *o, const char *indent);

/* Number of elements the snapshot holds for a set. */
size_t ks_set_nelems(const struct nfk_kstate *ks, const struct ks_set *set);

/* Prints a time in nft's "1d2h3m4s" style (ms input). */
void ks_print_time(FILE *f, uint64_t ms);
/* The same, as seconds when flags ask for numeric output (-n, -T). */
void ks_print_time_flags(FILE *f, uint64_t ms, unsigned flags);

/* The listing's set block ("\tset NAME {" ... "\t}"), for echo.c. */
void ks_list_set(FILE *f, const struct nfk_kstate *ks, const struct ks_set *st,
		 const struct nfk_list_opts *o);
/* "counter", "ct helper", ... as nft names stateful object types. */
const char *ks_obj_type_name(uint32_t type);

/* " # handle N" when -a asks for handles: tb[type] read through s. */
void ks_print_handle(FILE *f, const struct nfk_list_opts *o, const struct nfk_schema *s,
		     const struct nlattr *const *tb, unsigned type);

#endif
