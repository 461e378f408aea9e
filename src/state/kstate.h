/* SPDX-License-Identifier: MIT */
/*
 * The decoded ruleset model: a snapshot of kernel objects (tables, chains,
 * rules, sets and their elements, stateful objects, flowtables) shared by
 * the compiler's cache, the listing printer, echo, and later the evaluator
 * and the BPF backend.  Nothing here knows nft syntax.
 *
 * Every object is kept as the attribute bytes of its netlink message, in
 * one arena per kind; records only say where those bytes are.  Listings
 * (nfk_kstate_fetch_list) keep most sets' elements packed instead.
 */
#ifndef NFK_KSTATE_H
#define NFK_KSTATE_H

#include <stdbool.h>

#include "../nl/nl.h"

/* What the compiler needs to know about a set that the script does not
 * define itself (it exists in the kernel already). */
struct nfk_set_info {
	const char *name;
	uint32_t flags;        /* NFT_SET_* */
	uint32_t key_type, key_len;
	uint32_t data_type, data_len;  /* maps */
	uint32_t id;
	uint32_t objtype;      /* object maps */
	/* nft's set user data (typeof expressions, key byte order); may be NULL */
	const void *udata;
	size_t udata_len;
};

struct nfk_kstate;

const struct nfk_set_info *nfk_kstate_set(const struct nfk_kstate *ks, int family,
					   const char *table, const char *set);
bool nfk_kstate_has_table(const struct nfk_kstate *ks, int family, const char *table);
bool nfk_kstate_has_chain(const struct nfk_kstate *ks, int family, const char *table,
			  const char *chain);

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

/* A set's elements packed as the dump arrives (packed.c), instead of
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

/* ---- packed elements (packed.c) -------------------------------------- */

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

/* ---- fetching --------------------------------------------------------- */

/* Fetches what a list command (or the compiler's cache) needs:
 * family < 0 means all families, table NULL all tables.  0 or -errno. */
int nfk_kstate_fetch(struct nfk_kstate **out, struct nfk_sock *s, int family,
		     const char *table);
void nfk_kstate_free(struct nfk_kstate *ks);
/* The same for listing: the elements of most sets are packed compactly
 * (1M addresses: a few MB), not kept as messages. */
int nfk_kstate_fetch_list(struct nfk_kstate **out, struct nfk_sock *s, int family,
			  const char *table);
/* The same without rules and set elements: what the compiler consults
 * (tables, chains, sets, objects).  Cheap even with huge sets. */
int nfk_kstate_fetch_meta(struct nfk_kstate **out, struct nfk_sock *s, int family,
			  const char *table);

#endif
