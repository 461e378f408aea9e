/* SPDX-License-Identifier: MIT */
/*
 * The front end's private model: tokens, the lexer, the parsed commands
 * and expressions.  Everything lives in one arena per script; large
 * element blocks are not parsed into nodes at all: the parser records
 * where they are and the compiler re-lexes them, streaming each element
 * into set-element messages.
 */
#ifndef NFK_AST_H
#define NFK_AST_H

#include <string.h>

#include "lang.h"

/* ---- arena ------------------------------------------------------------ */

struct nfk_arena {
	struct nfk_arena_chunk *head;
};
void *nfk_arena_alloc(struct nfk_arena *a, size_t n);   /* zeroed; NULL on OOM */
char *nfk_arena_strndup(struct nfk_arena *a, const char *s, size_t n);
void nfk_arena_free(struct nfk_arena *a);
void nfk_arena_reset(struct nfk_arena *a);   /* keeps one chunk */
/* Frees chunks allocated after mark (scratch use). */
struct nfk_arena_chunk *nfk_arena_mark(struct nfk_arena *a);
void nfk_arena_release(struct nfk_arena *a, struct nfk_arena_chunk *mark);

/* ---- tokens ----------------------------------------------------------- */

enum {
	T_EOF = 0,
	/* single characters stand for themselves: '{' ',' ';' ... */
	T_NL = 256,   /* newline: a separator like ';' */
	T_WORD,       /* identifier, keyword, number, address */
	T_STRING,     /* "quoted": text without the quotes */
	T_VAR,        /* $name: text is the name */
	T_SETREF,     /* @name */
	T_EQ,         /* == */
	T_NE,         /* != */
	T_LE,         /* <= */
	T_GE,         /* >= */
	T_SHL,        /* << */
	T_SHR,        /* >> */
	T_ERR,        /* lexical error */
};

struct nfk_tok {
	int kind;
	const char *s;      /* points into the source (not terminated) */
	uint32_t len;
	struct nfk_loc loc;
};

struct nfk_lexer {
	const struct nfk_src *src;
	size_t pos;
	size_t end;         /* lexes text[pos, end): src->len, or a captured block */
	uint32_t line, col;
	size_t line_start;
};

void nfk_lex_init(struct nfk_lexer *lx, const struct nfk_src *src);
void nfk_lex_next(struct nfk_lexer *lx, struct nfk_tok *t);
long nfk_lex_skip_block(struct nfk_lexer *lx);
/* True when t is the word; inline because the parser tries keyword after
 * keyword on every token, and the first character rejects most of them. */
static inline bool nfk_tok_is(const struct nfk_tok *t, const char *word)
{
	return t->kind == T_WORD && t->len && t->s[0] == word[0] && strlen(word) == t->len &&
	       !memcmp(t->s, word, t->len);
}
/* Copies the token's text into dst as a C string, truncated to fit;
 * returns the token's length.  A hot-path stand-in for snprintf("%.*s"). */
size_t nfk_tok_copy(char *dst, size_t size, const struct nfk_tok *t);
/* nft's name for a token in "unexpected X" messages. */
void nfk_tok_describe(const struct nfk_tok *t, char *buf, size_t len);

/* ---- expressions -------------------------------------------------------- */

enum ex_kind {
	EX_NONE,
	EX_SYM,       /* a value whose type comes from context: "22", "tcp" */
	EX_STR,       /* a quoted string */
	EX_PREFIX,    /* a / len (op); with b: a / mask expression (op -1) */
	EX_RANGE,     /* a - b */
	EX_SET,       /* { v[0], ... } anonymous set */
	EX_SETREF,    /* @name */
	EX_LIST,      /* a,b,c outside braces (flag lists) */
	EX_CONCAT,    /* a . b . c */
	EX_MAPPING,   /* a : b (set elements of maps) */
	EX_ELEM,      /* a with element options (timeout, comment...) */
	EX_PAYLOAD,   /* proto field */
	EX_META,
	EX_CT,
	EX_VERDICT,   /* accept, drop, jump X ... */
	EX_BINOP,     /* a & b, a | b, a ^ b, a << b, a >> b */
	EX_MAP,       /* a map b ; b is a set or setref */
	EX_RAW,       /* @base,offset,len */
	EX_WILDCARD,  /* * */
	EX_EXTHDR,    /* exthdr/tcp option/sctp chunk/ip option */
	EX_FIB, EX_RT, EX_SOCKET, EX_OSF, EX_XFRM, EX_NUMGEN, EX_HASH,
};

struct ex {
	enum ex_kind kind;
	struct nfk_loc loc;
	/* operands, by kind: s the text (SYM, STR, SETREF; a VERDICT's chain);
	 * a and b the two sides (PREFIX value and mask expression, RANGE,
	 * MAPPING key and data, ELEM's element, BINOP, MAP key and map, HASH
	 * input); v and n the items (SET, LIST, CONCAT) */
	const char *s;
	struct ex *a, *b;
	struct ex **v;
	size_t n;
	union {
		int binop;               /* BINOP: the operator token */
		int code;                /* VERDICT: NF_* / NFT_* verdict code */
		int plen;                /* PREFIX: length, or -1 with a mask in b */
		/* PAYLOAD */
		struct {
			const struct nfk_proto *proto;
			const struct nfk_hdr_field *field;
		} pl;
		/* META, CT: the key; ct's direction (-1 none, 0 original, 1 reply) */
		struct {
			const struct nfk_key *key;
			int dir;
		} sk;
		/* ELEM: element options (ms) */
		struct {
			uint64_t timeout, expires;
			const char *comment;
		} elem;
		/* EXTHDR: xh NULL for a kind given by number or raw @kind,off,len */
		struct {
			const struct nfk_exthdr *xh;
			const struct nfk_hdr_field *field;
			unsigned op, type, off, bits;
			bool raw;                /* @kind,off,bits */
		} xt;
		struct { uint32_t flags, result; } fib;
		struct { uint32_t key, family; } rt;
		struct { uint32_t key, level; } sock;
		struct { uint32_t ttl, flags; } osf;
		struct { uint32_t key, dir, spnum; } xfrm;
		struct { uint32_t type, mod, offset; } ng;
		/* HASH: jhash of a (NULL: symhash) */
		struct { uint32_t type, mod, seed, offset; bool has_seed; } hash;
	};
};

/* ---- statements and rules ------------------------------------------------ */

enum st_kind {
	ST_NONE,
	ST_MATCH, ST_VERDICT, ST_COUNTER, ST_LOG, ST_LIMIT, ST_REJECT, ST_NAT,
	ST_MASQ, ST_REDIR, ST_OBJREF, ST_SET, ST_VMAP, ST_NOTRACK, ST_QUOTA,
	ST_EXTHDR_RESET, ST_QUEUE, ST_CONNLIMIT, ST_TPROXY, ST_SYNPROXY, ST_DUP, ST_FWD,
	ST_DYNSET, ST_FLOW,
};

/* Statement payloads, one per kind (a tagged union in struct stmt). */
struct st_match {             /* MATCH: left op right; VMAP: key vmap map */
	struct ex *left, *right;
	int op;                   /* T_EQ, T_NE, '<', ..., '!'; 0 = implicit */
};

struct st_counter {
	uint64_t packets, bytes;
};

struct st_limit {             /* statements and limit objects */
	uint64_t rate, unit;      /* per unit seconds; bytes when type says so */
	uint64_t burst;
	uint32_t type;            /* NFT_LIMIT_PKTS / NFT_LIMIT_PKT_BYTES */
	bool inv;                 /* "over" */
};

struct st_quota {             /* statements and quota objects */
	uint64_t bytes, used;
	bool inv;
};

struct st_connlimit {
	uint32_t count;
	bool inv;
};

struct st_log {
	const char *prefix;
	uint32_t level, group, snaplen, qthreshold, flags;
	bool has_level, has_group, has_snaplen, has_qthreshold;
};

struct st_reject {
	int type;                 /* NFT_REJECT_*, -1: none given */
	unsigned family;          /* "with icmp": NFPROTO_IPV4, icmpv6: IPV6, icmpx: 0 */
	struct ex *code;          /* the code as written, or NULL */
};

struct st_nat {               /* NAT, MASQ, REDIR */
	int type;                 /* NAT: NFT_NAT_SNAT / NFT_NAT_DNAT */
	unsigned family;          /* 0, or NFPROTO_IPV4/6 ("dnat ip to") */
	struct ex *addr, *port;
	uint32_t flags;           /* NF_NAT_RANGE_* */
};

struct st_fwd {               /* TPROXY, DUP, FWD */
	unsigned family;          /* 0, or NFPROTO_IPV4/6 */
	struct ex *addr, *port, *dev;
};

struct st_objref {            /* "counter name X", "ct helper set X", maps of them */
	uint32_t type;            /* NFT_OBJECT_* */
	const char *name;         /* NULL: through an object map */
	struct nfk_loc name_loc;
	struct ex *key, *map;
};

struct st_set {               /* SET: "SELECTOR set VALUE" */
	struct ex *left, *right;
};

struct st_exthdr_reset {
	struct ex *opt;           /* the tcp option */
};

struct st_queue {
	uint32_t num, total, flags;
	struct ex *num_expr;      /* "queue to EXPR" */
};

struct st_synproxy {          /* statements and synproxy objects */
	uint16_t mss;
	uint8_t wscale;
	uint32_t flags;           /* NF_SYNPROXY_OPT_* */
};

struct st_dynset {            /* add/update/delete @set { ... }; meters */
	int op;                   /* NFT_DYNSET_OP_* */
	const char *set;
	struct nfk_loc set_loc;   /* the @set or meter name written */
	struct ex *key, *data;
	struct stmt *stmts;       /* stateful statements per element */
	uint64_t timeout;
	bool meter;               /* "meter NAME [size N] { ... }" creates its set */
	uint32_t meter_size;
};

struct stmt {
	enum st_kind kind;
	struct nfk_loc loc;
	struct nfk_loc span;          /* from its first token to its last */
	struct stmt *next;
	union {
		struct st_match match;
		struct ex *verdict;
		struct st_counter counter;
		struct st_limit limit;
		struct st_quota quota;
		struct st_connlimit connlimit;
		struct st_log log;
		struct st_reject reject;
		struct st_nat nat;
		struct st_fwd fwd;
		struct st_objref objref;
		struct st_set set;
		struct st_exthdr_reset exthdr;
		struct st_queue queue;
		struct st_synproxy synproxy;
		struct st_dynset dynset;
		const char *flowtable;    /* FLOW */
	};
};

struct rule {
	struct nfk_loc loc;
	struct stmt *stmts;
	const char *comment;
	struct rule *next;
};

/* A region of source text holding set elements, parsed when compiled. */
struct elem_src {
	const struct nfk_src *src;
	size_t pos, end;              /* text[pos, end) between the braces */
	uint32_t line, col;
	size_t line_start;
};

struct set_decl {
	struct nfk_loc loc;
	const char *name;
	bool is_map;
	bool in_table;                /* declared in a table block (errors mark its name) */
	bool no_key;                  /* a key type nft knows not: reported, not compiled */
	const char **key_types;       /* concatenated key type names, as many as given */
	unsigned nkey;
	struct nfk_loc key_loc;
	struct nfk_loc types_loc;     /* "type a . b": a to b (errors about elements mark it) */
	const char *data_type;        /* map data type name (the first member) */
	/* "T1 . T2" (nat maps: address . port) and/or "interval T": data
	 * members and whether each element's data is a [lo, hi] pair */
	const char **data_types;
	unsigned ndata;
	bool data_interval;
	struct ex *typeof_key;        /* "typeof EXPR [: EXPR]": the expressions */
	struct ex *typeof_data;       /* NULL, or EX_VERDICT for "verdict" */
	uint32_t flags;               /* NFT_SET_* from "flags" */
	uint64_t timeout, gc_interval;
	uint32_t size;
	int policy;                   /* -1 none */
	const char *comment;
	bool automerge;
	bool has_elems;
	struct elem_src elems;
	struct set_decl *next;
};

/* A base chain's or flowtable's priority: a number, or a standard name
 * with an offset ("filter + 10"); text NULL: the offset alone ("-5"). */
struct prio_spec {
	const char *text;
	int64_t offset;
	struct nfk_loc loc;           /* from "priority" to the end of the value */
};

struct chain_decl {
	struct nfk_loc loc;
	const char *name;
	struct nfk_loc name_loc;      /* in a table block: kernel errors point there */
	bool base;
	const char *type;
	const char *hook;
	struct nfk_loc type_loc;      /* the type's word */
	struct nfk_loc hook_loc;
	struct prio_spec prio;
	const char **devices;         /* device or devices = { ... }, as written */
	unsigned ndev;
	struct nfk_loc spec_loc;      /* "type ... priority P": nft's errors about it */
	struct nfk_loc dev_loc;       /* "device X" / "devices = { ... }" */
	int policy;                   /* -1 none, NF_ACCEPT/NF_DROP */
	const char *comment;
	struct rule *rules, **rules_tail;
	struct chain_decl *next;
};

struct obj_decl {
	struct nfk_loc loc;
	enum nfk_obj_kind kind;
	const char *name;
	const char *comment;
	unsigned l3proto, l4proto;    /* ct helper/timeout/expectation; l3proto 0: not given */
	union {
		struct st_counter counter;
		struct st_quota quota;
		struct st_limit limit;
		struct st_synproxy synproxy;
		const char *helper;   /* CT_HELPER: type "ftp" */
		struct {              /* CT_TIMEOUT: seconds per state, [CTA_TIMEOUT_<PROTO>_*] */
			uint32_t secs[16];
			unsigned n;       /* 1..n are set */
		} timeout;
		struct {              /* CT_EXPECT */
			uint16_t dport;
			uint32_t timeout;  /* ms */
			uint8_t size;
		} expect;
		const char *secctx;   /* SECMARK: the security context */
	};
	struct obj_decl *next;
};

struct flowtable_decl {
	struct nfk_loc loc;
	const char *name;
	const char *hook;
	struct nfk_loc hook_loc;
	struct prio_spec prio;
	const char **devices;         /* devices = { ... }, as written */
	unsigned ndev;
	uint32_t flags;
	struct flowtable_decl *next;
};

struct table_decl {
	uint32_t flags;
	const char *comment;
	struct chain_decl *chains, **chains_tail;
	struct set_decl *sets, **sets_tail;
	struct obj_decl *objs, **objs_tail;
	struct flowtable_decl *fts, **fts_tail;
};

/* struct nfk_cmd.body is one of these, by cmd->obj. */
struct cmd_body {
	struct table_decl *table;
	struct chain_decl *chain;
	struct set_decl *set;
	struct rule *rule;
	struct obj_decl *obj;
	struct flowtable_decl *ft;
	struct elem_src elems;        /* ELEMENT */
	const char *newname;          /* RENAME */
};

struct define {
	const char *name;
	struct ex *value;
	struct define *next;
};

/* Where the parts of a message came from (a rule's expressions, a set's
 * elements), so that a kernel error with an attribute offset points at
 * what nft points at. */
struct errmap {
	const void *cookie;           /* the message's cookie */
	size_t base;                  /* offset of the first part in the message */
	size_t end;                   /* offset past the last part (0: no end) */
	size_t n, cap;
	uint32_t *off;                /* ascending part offsets from base */
	struct nfk_loc *loc;          /* from each offset on: where it came from */
	/* the message's name attributes (table, chain/set/object, handle):
	 * offsets from the message start and where the names were written */
	uint32_t name_off[3];
	const struct nfk_loc *name_loc[3];
	unsigned nnames;
	struct errmap *next;
};

struct nfk_script {
	struct nfk_arena arena;
	struct nfk_cmd *cmds;
	size_t ncmds, cap;
	struct define *defines;
	struct nfk_src *srcs[64];     /* the main text and its includes */
	unsigned nsrcs;
	int include_depth;
	unsigned nerrs;               /* syntax errors recovered from (nft stops at 10) */
	unsigned nevals;              /* semantic errors found while parsing (ps_err_eval) */
	const struct nfk_parse_opts *opts;   /* while parsing: -I paths, -D defines */
	struct errmap *errmaps;
};

/* parse.c */
struct nfk_parser;
int nfk_parse_elements(struct nfk_script *sc, const struct elem_src *es,
		       struct nfk_arena *scratch, struct nfk_diags *ds,
		       int (*cb)(void *arg, struct ex *elem), void *arg);

#endif
