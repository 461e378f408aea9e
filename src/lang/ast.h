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
	const char *s;               /* SYM/STR/SETREF text; VERDICT chain */
	struct ex *a, *b;
	struct ex **v;               /* SET/LIST/CONCAT items */
	size_t n;
	int op;                      /* BINOP token; VERDICT code; PREFIX len */
	const struct nfk_proto *proto;
	const struct nfk_hdr_field *field;
	const struct nfk_key *key;
	int dir;                     /* CT: -1 none, 0 original, 1 reply */
	uint64_t timeout, expires;   /* ELEM, ms */
	const char *comment;         /* ELEM */
	bool inner_set;              /* SET came from nested braces */
	/* EX_EXTHDR: xh NULL for a kind given by number or raw @kind,off,len */
	const struct nfk_exthdr *xh;
	unsigned xop, xtype, xoff, xbits;
	/* fib/rt/socket/osf/xfrm/numgen/hash: key, flags, modulus, offset, seed */
	unsigned fkey, fflags, fmod, foff, fseed, ffam;
	bool has_seed;
};

/* ---- statements and rules ------------------------------------------------ */

enum st_kind {
	ST_MATCH, ST_VERDICT, ST_COUNTER, ST_LOG, ST_LIMIT, ST_REJECT, ST_NAT,
	ST_MASQ, ST_REDIR, ST_OBJREF, ST_META_SET, ST_CT_SET, ST_VMAP, ST_NOTRACK,
	ST_QUOTA, ST_PAYLOAD_SET, ST_EXTHDR_RESET, ST_QUEUE, ST_CONNLIMIT, ST_TPROXY,
	ST_SYNPROXY, ST_DUP, ST_FWD, ST_DYNSET, ST_FLOW,
};

struct stmt {
	enum st_kind kind;
	struct nfk_loc loc;
	struct ex *left, *right;     /* MATCH: left op right; VMAP: key, map */
	int op;                      /* MATCH: T_EQ, T_NE, '<', ... 0 = implicit */
	struct ex *verdict;
	/* statement arguments */
	int nat_type;                /* NFT_NAT_SNAT/DNAT */
	int nat_family;              /* 0 or NFPROTO_IPV4/6 ("dnat ip to") */
	struct ex *addr, *port;
	uint32_t flags;
	const char *name;            /* objref name, log prefix */
	struct nfk_loc name_loc;     /* dynset: the @set written */
	int objtype;
	uint64_t n1, n2;             /* counter packets/bytes; limit rate/unit; quota bytes */
	uint32_t burst;
	int type, code;              /* reject */
	bool has_type;
	uint32_t level, group, snaplen, qthreshold;
	bool has_level, has_group, has_snaplen, has_qthreshold, inv;
	const struct nfk_key *key;   /* META_SET/CT_SET */
	struct ex *dev;              /* dup/fwd device */
	uint32_t qnum, qtotal;       /* queue */
	struct stmt *inner;          /* dynset: stateful statements per element */
	uint64_t timeout;            /* dynset */
	bool meter;                  /* dynset: "meter NAME [size N] { ... }" creates its set */
	uint32_t meter_size;
	int dir;
	struct stmt *next;
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
	const char *key_types[16];    /* concatenated key type names */
	unsigned nkey;
	struct nfk_loc key_loc;
	const char *data_type;        /* map data type name (the first member) */
	/* "T1 . T2" (nat maps: address . port) and/or "interval T": data
	 * members and whether each element's data is a [lo, hi] pair */
	const char *data_types[4];
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

struct chain_decl {
	struct nfk_loc loc;
	const char *name;
	struct nfk_loc name_loc;      /* in a table block: kernel errors point there */
	bool base;
	const char *type;
	const char *hook;
	struct nfk_loc hook_loc, prio_loc;
	const char *prio_text;        /* the priority expression as written */
	int prio_offset;
	const char *devices[16];
	unsigned ndev;
	int policy;                   /* -1 none, NF_ACCEPT/NF_DROP */
	const char *comment;
	struct rule *rules, **rules_tail;
	struct chain_decl *next;
};

struct obj_decl {
	struct nfk_loc loc;
	enum nfk_obj_kind kind;
	const char *name;
	uint64_t n1, n2;              /* counter packets/bytes; quota bytes/used */
	uint32_t flags;
	uint64_t rate, unit, burst;   /* limit */
	uint32_t ltype;
	const char *comment;
	const char *helper;           /* ct helper: type "ftp" */
	unsigned l3proto, l4proto;    /* ct helper/timeout/expectation; l3proto 0: not given */
	/* ct timeout: seconds per state, [CTA_TIMEOUT_<PROTO>_*], 1..ntimeouts */
	uint32_t timeouts[16];
	unsigned ntimeouts;
	/* ct expectation */
	uint16_t dport;
	uint32_t exp_timeout;         /* ms */
	uint8_t exp_size;
	/* synproxy; flags holds NF_SYNPROXY_OPT_* */
	uint16_t mss;
	uint8_t wscale;
	const char *secctx;           /* secmark: the security context */
	struct obj_decl *next;
};

struct flowtable_decl {
	struct nfk_loc loc;
	const char *name;
	const char *hook;
	struct nfk_loc hook_loc, prio_loc;
	const char *prio_text;
	int prio_offset;
	const char *devices[64];
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

/* Where each expression of a rule message came from, so a kernel error
 * with an attribute offset points at the statement that caused it. */
struct errmap {
	const void *cookie;           /* the rule message's cookie */
	size_t base;                  /* offset of the first expression in the message */
	size_t n;
	uint32_t *off;                /* expression offsets from base */
	const struct nfk_loc **loc;
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
	const struct nfk_parse_opts *opts;   /* while parsing: -I paths, -D defines */
	struct errmap *errmaps;
};

/* parse.c */
struct nfk_parser;
int nfk_parse_elements(struct nfk_script *sc, const struct elem_src *es,
		       struct nfk_arena *scratch, struct nfk_diags *ds,
		       int (*cb)(void *arg, struct ex *elem), void *arg);

#endif
