/* SPDX-License-Identifier: MIT */
/*
 * Back-end internals: the kernel-state snapshot shared by kstate.c (fetch),
 * list.c (listing) and decompile*.c (rules -> text).
 *
 * Every object is kept as the attribute bytes of its netlink message, in
 * one arena per kind; records only say where those bytes are.  Listings
 * (nfk_kstate_fetch_list) keep most sets' elements packed instead.
 */
#ifndef NFK_KSTATE_H
#define NFK_KSTATE_H

#include "lang.h"

enum ks_kind {
	KS_TABLE, KS_CHAIN, KS_SET, KS_ELEM, KS_OBJ, KS_FLOWTABLE, KS_RULE,
	KS_NKINDS
};

struct ks_rec {
	uint32_t off, len;      /* attribute bytes in the kind's arena */
	uint8_t family;
	uint32_t set;           /* KS_ELEM: index of the set record */
};

struct ks_list {
	struct ks_rec *v;
	size_t n, cap;
	uint8_t *arena;
	size_t alen, acap;
};

/* A set's elements packed as the dump arrives (setstream.c), instead of
 * their messages: one fixed-size record per element, in kernel order,
 *   [KS_PK_* flags] [key: klen bytes] [data: dlen bytes],
 * the data being the value, or for verdict maps the code (host order)
 * and a u16 index into chains (0xffff: none).  Only elements made of a
 * key, interval-end/catch-all flags and such data are packed; a set with
 * any other element keeps its messages (elem_first/elem_n). */
enum {
	KS_PK_START = 1 << 0,    /* not an interval end: sorts after one */
	KS_PK_CATCHALL = 1 << 1,
	KS_PK_KEY = 1 << 2,
	KS_PK_DATA = 1 << 3,
};
#define KS_PK_NOCHAIN 0xffff

struct ks_packed {
	uint8_t *v;
	size_t n, cap;          /* records */
	uint16_t size;          /* bytes per record */
	uint8_t klen, dlen;
	bool verdict;           /* data is a verdict */
	bool failed;            /* an element did not fit: kept as messages */
	char **chains;          /* verdict chain names */
	uint16_t nchains;
};

/* A set as the decompiler and printer see it (names point into the arena). */
struct ks_set {
	struct nfk_set_info info;
	const char *table;
	uint8_t family;
	uint32_t rec;           /* index in KS_SET */
	uint32_t elem_first, elem_n;   /* KS_ELEM message records */
	struct ks_packed packed;       /* or its elements packed (nfk_kstate_fetch_list) */
	uint64_t handle;
	uint32_t policy, size_desc;
	uint64_t timeout;
	uint32_t gc_interval;
	const struct nlattr *expr;     /* NFTA_SET_EXPR / EXPRESSIONS or NULL */
	const struct nlattr *expressions;
	uint32_t field_count;
	uint8_t field_len[16];  /* NFTA_SET_DESC_CONCAT */
};

struct nfk_kstate {
	struct ks_list k[KS_NKINDS];
	uint32_t genid;
	struct ks_set *sets;    /* one per KS_SET record, built after the fetch */
	size_t nsets;
};

static inline const void *ks_attrs(const struct nfk_kstate *ks, enum ks_kind kind, size_t i,
				   size_t *len)
{
	*len = ks->k[kind].v[i].len;
	return ks->k[kind].arena + ks->k[kind].v[i].off;
}

/* Indexes record i of kind into tb[0..max] (NULLs on malformed input). */
void ks_index(const struct nfk_kstate *ks, enum ks_kind kind, size_t i,
	      const struct nlattr **tb, unsigned max);

const struct ks_set *ks_set_find(const struct nfk_kstate *ks, int family, const char *table,
				 const char *name);

/* ---- nft set userdata (NFTA_SET_USERDATA / NFTA_SET_ELEM_USERDATA) ---- */

enum {
	KS_UDATA_SET_KEYBYTEORDER = 0,
	KS_UDATA_SET_DATABYTEORDER = 1,
	KS_UDATA_SET_MERGE_ELEMENTS = 2,
	KS_UDATA_SET_KEY_TYPEOF = 3,
	KS_UDATA_SET_DATA_TYPEOF = 4,
	KS_UDATA_SET_EXPR = 5,
	KS_UDATA_SET_DATA_INTERVAL = 6,
	KS_UDATA_SET_COMMENT = 7,
};
enum { KS_UDATA_RULE_COMMENT = 0 };
enum { KS_UDATA_SET_ELEM_COMMENT = 0, KS_UDATA_SET_ELEM_FLAGS = 1 };
enum { KS_UDATA_TABLE_COMMENT = 0 };
enum { KS_UDATA_CHAIN_COMMENT = 0 };
enum { KS_UDATA_OBJ_COMMENT = 0 };

/* Finds TLV type in nft's udata format (u8 type, u8 len, value); NULL when
 * absent or malformed.  *len gets the value length. */
const uint8_t *ks_udata_get(const void *udata, size_t ulen, unsigned type, size_t *len);

/* ---- decompiler entry points used by the lister ------------------------ */

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

/* ---- packed elements (setstream.c) -------------------------------------- */

/* Readies st->packed for the set's element dump (false: the set's
 * elements cannot be packed, keep messages). */
bool ks_pack_begin(struct ks_set *st);
/* An nfk_msg_cb for the GETSETELEM dump of a set (arg: the ks_set): packs
 * every element, or marks packed.failed at the first that does not fit. */
int ks_pack_cb(const struct nlmsghdr *nlh, void *arg);
/* Trims the records after the dump. */
void ks_pack_end(struct ks_set *st);
void ks_packed_free(struct ks_packed *p);
/* Sorts the records stably as the lister orders elements: catch-all last,
 * then by key (big-endian bytes, or host-order numbers when !big), an
 * interval end before a start at the same key.  0 or -ENOMEM. */
int ks_packed_sort(const struct ks_packed *p, bool big);

static inline const uint8_t *ks_packed_rec(const struct ks_packed *p, size_t i)
{
	return p->v + i * p->size;
}

/* ---- snapshots built from messages (echo.c) ----------------------------- */

/* Appends one NEW* object message (or a DELRULE) to ks; elements are tied
 * to the latest matching set record.  Returns the kind, with the record's
 * index in *index (may be NULL), -ENOENT for other messages, or -errno. */
int ks_append_msg(struct nfk_kstate *ks, const struct nlmsghdr *nlh, size_t *index);
/* Copies record i of kind from another snapshot (sets the messages use). */
int ks_append_rec(struct nfk_kstate *ks, enum ks_kind kind, const struct nfk_kstate *from,
		  size_t i);
/* (Re)builds ks->sets after appends; elements still unmatched are tied to
 * their set by name.  0 or -ENOMEM. */
int ks_sets_build(struct nfk_kstate *ks);

/* The listing's set block ("\tset NAME {" ... "\t}"), for echo.c. */
void ks_list_set(FILE *f, const struct nfk_kstate *ks, const struct ks_set *st,
		 const struct nfk_list_opts *o);
/* "counter", "ct helper", ... as nft names stateful object types. */
const char *ks_obj_type_name(uint32_t type);

#endif
