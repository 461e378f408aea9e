/* SPDX-License-Identifier: MIT */
/*
 * The compiler's internals, shared by the compiler core (compile.c), its
 * mechanisms (emit.c: expression encoding; deps.c: protocol dependencies
 * and payload merging; setelem.c: the element writer; typeof.c: set user
 * data) and the family files, each of which compiles its own statements
 * and selectors.  Names are cc_*.
 */
#ifndef NFK_COMPILE_H
#define NFK_COMPILE_H

#include "ast.h"
#include "udata.h"

/* The register file the kernel gives expressions: 16 words of 4 bytes
 * (NFT_REG32_COUNT) after the verdict.  Loads, keys, data and values are
 * bounded by it; a comparison or an immediate holds one struct nft_data
 * (the kernel's 16 bytes), which the kernel checks itself. */
#define NFK_REGS_LEN 64
/* At most this many members fit it (one 32-bit word each at least). */
#define NFK_CONCAT_MAX (NFK_REGS_LEN / 4)

struct kset {
	struct kset *next;
	int family;
	const char *table, *name;
	uint32_t id;                 /* NFTA_SET_ID when created in this batch */
	uint32_t flags;
	const struct nfk_dtype *keyt[16];
	unsigned kbits[16];          /* per member: value bits (0: the type's) */
	enum nfk_byteorder kbo[16];  /* per member: byte order (0: the type's) */
	unsigned kshift[16], klen[16]; /* sub-byte fields: value shift, register bytes */
	bool kmasked[16];
	unsigned nkey, key_len;
	const struct nfk_dtype *datat;   /* NULL: set; verdict: NFK_DTYPE(VERDICT) */
	unsigned data_len;
	unsigned dbits;               /* data value bits (0: the type's) */
	enum nfk_byteorder dbo;       /* data byte order (0: the type's) */
	/* nat maps: data concatenated ("ipv4_addr . inet_service") and/or
	 * holding [lo, hi] pairs ("interval ipv4_addr"): all lows, then all highs */
	const struct nfk_dtype *dtypes[4];
	unsigned ndata;               /* concatenated data members, 0: datat alone */
	bool dinterval;
	bool objmap;
	uint32_t objtype;
	bool automerge;              /* "auto-merge": adjacent/overlapping intervals join */
	const struct ex *key_ex;     /* anonymous: the expression it is keyed by, or NULL */
	const struct nfk_loc *types_loc; /* declared here: its "type a . b", or NULL */
	enum nfk_byteorder key_bo;   /* and that expression's byte order (0: kbo[0]) */
	unsigned key_typeof_n;       /* its leading members nft records (see cc_anon_set) */
	uint32_t kid, did;           /* key and data types of more members than fit (setwide.c) */
};

struct cctx {
	struct nfk_script *sc;
	const struct nfk_compile_opts *o;
	struct nfk_batch *b;
	struct nfk_diags *ds;
	struct nfk_arena ar;          /* kset and per-compile data */
	struct nfk_arena scratch;     /* one element at a time */
	struct kset *sets;
	uint32_t next_id;
	size_t cmd_i;                 /* the command being compiled */
	bool any_failed;              /* failed: this rule or object; any_failed: the script */
	const struct nfk_handle *cur_h;   /* its names (kernel errors point there) */
	const struct nfk_loc *match_lhs;  /* what values are being matched against */
	uint8_t *anon_size;           /* the last anonymous NEWSET's size, to patch */
	const void *reported[8];      /* sets with types nft has none for, said once */
	unsigned nreported;
	bool failed;
	uint8_t *rule_mem;            /* the expressions of the rule being compiled */
};

struct ebuf {
	struct nfk_buf b;
	struct nlattr *elem, *data;
};

#define PM_MAX 32

/* One "payload load + cmp eq" pair in the expression buffer. */
struct pm_unit {
	size_t start, end;            /* its bytes in the buffer */
	unsigned base, off, len;
	bool proto;                   /* a protocol field (ether type, ip protocol) */
	bool dead, changed;
	uint8_t val[16];
};

struct rctx {
	struct cctx *c;
	struct nfk_buf *b;            /* the expression list being built */
	int family;
	const char *table;
	unsigned l3;                  /* NFPROTO_* known, 0 when not */
	int l4;                       /* IP protocol known, -1 when not */
	bool ll_checked;
	unsigned ll_type;             /* ether type known */
	unsigned vlan_off;            /* stacked vlan tags matched so far, in bytes */
	bool concat_hton;             /* concatenation looked up in an interval set */
	size_t last_plen;             /* offset of the last payload load's length */
	size_t last_load;             /* where the last selector load starts */
	const struct sel *map_data;   /* the target type of a map being built */
	const struct nfk_loc *map_ctx; /* and what nft marks with it in errors */
	bool key_ctx;                 /* resolving a concatenation or a map key */
	bool icmp_type_known;         /* "icmp type X" matched already */
	bool l4_set;                  /* the transport protocol is one of a set */
	const struct kset *map_shape; /* nat map data: concatenation, intervals */
	unsigned key_word;            /* a map key's first 32-bit register word */
	uint32_t objmap_type;         /* building an object map of this type */
	/* where the expressions emitted now come from, and the rule's map of
	 * them (kernel errors about an expression point there: cc_loc_mark) */
	struct nfk_loc loc;
	struct errmap *em;
	/* "payload load + cmp eq" pairs of the current run of match
	 * statements, merged at the run's end as nft merges them */
	struct nfk_buf *pm_buf;       /* the rule's expression buffer */
	unsigned npm;
	struct pm_unit pm[PM_MAX];
};

/* What a selector loads. */
struct sel {
	const struct nfk_dtype *dtype;
	enum nfk_byteorder bo;
	unsigned bits;                /* value bits (field width) */
	unsigned len;                 /* register bytes loaded */
	unsigned shift;               /* sub-byte fields: bits to the right */
	bool masked;                  /* field is not byte aligned: needs a mask */
	bool proto_key;               /* payload field naming the next header */
	bool hton;                    /* host-order value turned to network order */
	uint8_t mask[NFK_REGS_LEN];
	/* for loads: what to emit */
	enum ex_kind kind;
	unsigned base, offset;        /* payload: bytes */
	unsigned key;
	int dir;
	unsigned xop, xtype;          /* exthdr */
	bool present;
	const struct ex *fx;          /* fib/rt/socket/osf/xfrm/numgen/hash */
};

/* Element encoding state for one NEWSETELEM message stream. */
struct elw {
	struct cctx *c;
	int family;
	const char *table;
	const char *set;
	uint32_t set_id;
	const struct kset *ks;
	uint16_t msgtype;
	uint16_t msgflags;
	const void *cookie;
	struct nlmsghdr *nlh;
	struct nfk_buf *buf;
	struct nlattr *list;
	unsigned count;
	/* interval sets: collected ranges, emitted sorted at the end */
	const void *msg_cookie;       /* the open message's cookie */
	struct errmap *em;            /* its element -> source map, or NULL */
	unsigned nrec;                /* elements mapped so far */
	bool interval;
	bool no_zero;                 /* add element: no leading end element at zero */
	bool kmerge;                  /* auto-merge with the kernel's intervals in old */
	const struct nfk_elem_probe *probe;  /* an existing set, not dumped: ask */
	bool gather;                  /* set declaration: also the script's later adds */
	uint8_t *old;                 /* the kernel's intervals [lo, hi], sorted */
	size_t nold;
	uint8_t *ranges;              /* n * 2 * klen bytes: [lo, hi] inclusive */
	struct elem_extra *extra;
	size_t nranges, capranges;
	unsigned klen;
};

struct elem_extra {
	const char *objref;           /* object maps: the object's name */
	int vcode;                    /* data verdict, or INT32_MIN */
	const char *chain;
	uint8_t data[48];             /* up to an interval of address . port */
	unsigned dlen;
	uint64_t timeout;
	const char *comment;
	struct nfk_loc loc;           /* the key as written: conflict errors */
	bool open;                    /* interval up to the maximum: no end element */
};

/* ---- errors (compile.c) --------------------------------------------------- */

/* Reports an error of the rule or object being compiled (the first one
 * only) and marks the script failed. */
void cc_err(struct cctx *c, const struct nfk_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* As cc_err, with a second location nft underlines with '~'. */
void cc_err_ctx(struct cctx *c, const struct nfk_loc *loc, const struct nfk_loc *ctx,
		const char *msg);
/* After one rule or object: go on to the next one's errors; false: stop. */
bool cc_go_on(struct cctx *c, bool ok);

static inline unsigned cc_round4(unsigned n)
{
	return (n + 3) & ~3u;
}

/* ---- registers, selectors and values (compile.c) ----------------------- */

/* nft's register for the w-th 32-bit word of the register file. */
unsigned cc_reg_of_word(unsigned w);
void cc_sel_type(struct sel *s, const struct nfk_dtype *t, unsigned bits, enum nfk_byteorder bo);
/* A field of bits at bit offset off: offset, length, and the mask and
 * shift of a field that is not byte aligned. */
void cc_sel_bits(struct sel *s, unsigned off, unsigned bits);
/* Resolves a selector to what it loads (its family's resolve), emitting
 * its dependencies first; cc_load then loads it into dreg. */
bool cc_resolve(struct rctx *r, const struct ex *e, struct sel *s);
bool cc_load(struct rctx *r, const struct sel *s, unsigned dreg);
bool cc_is_selector(const struct ex *e);
/* A selector, or one combined with constants or a map lookup, into dreg. */
bool cc_load_expr(struct rctx *r, const struct ex *e, struct sel *s, unsigned dreg);
/* One selector or a concatenation of them, from r->key_word on, into
 * sels[NFK_CONCAT_MAX]; nft's size error when they do not fit. */
bool cc_load_concat(struct rctx *r, const struct ex *lhs, struct sel *sels, unsigned *nsel);
bool cc_concat_wants_hton(struct rctx *r, const struct ex *lhs, const struct ex *set);
bool cc_is_const(const struct ex *e);
/* The value of "SELECTOR set VALUE" into reg 1, typed by what the
 * selector (resolved into s) loads: a constant as an immediate, else the
 * expression loaded there (src: what it loads; kind EX_NONE for a
 * constant). */
bool cc_set_source(struct rctx *r, const struct stmt *st, const struct sel *s, struct sel *src);
/* A value written as text, in type t, byte order bo, bits wide. */
bool cc_value(struct cctx *c, const struct ex *e, const struct nfk_dtype *t,
	      enum nfk_byteorder bo, unsigned bits, uint8_t *out, unsigned *len);
/* A value for what selector s loads (sub-byte fields shifted into place). */
bool cc_sel_value(struct cctx *c, const struct sel *s, const struct ex *e, uint8_t *out,
		  unsigned *len);
bool cc_be_inc(uint8_t *v, unsigned len);
bool cc_be_dec(uint8_t *v, unsigned len);
void cc_prefix_mask(uint8_t *mask, unsigned len, unsigned plen);
void cc_prefix_mask_bo(uint8_t *mask, unsigned len, unsigned plen, enum nfk_byteorder bo);

/* ---- kernel error locations (compile.c) --------------------------------- */

/* Appends to em: from offset off on, the parts came from loc. */
bool cc_errmap_add(struct nfk_arena *ar, struct errmap *em, uint32_t off,
		   const struct nfk_loc *loc);
/* The rule's expressions emitted from here on come from loc: nft gives
 * each kernel expression the location of what it implements (a selector,
 * a value written, a hash, a map), or of the relational or statement it
 * belongs to.  cc_loc_enter returns the location it replaces, which
 * cc_loc_leave restores. */
void cc_loc_mark(struct rctx *r, const struct nfk_loc *loc);
struct nfk_loc cc_loc_enter(struct rctx *r, const struct nfk_loc *loc);
void cc_loc_leave(struct rctx *r, const struct nfk_loc *prev);

/* ---- statements, rules, messages (compile.c) ---------------------------- */

bool cc_stmt(struct rctx *r, const struct stmt *st);
bool cc_rule(struct cctx *c, const struct nfk_cmd *cmd, int family, const char *table,
	     const char *chain, const struct rule *ru);
/* Ends a message of the command being compiled, noting its names. */
void cc_end_msg(struct cctx *c, struct nlmsghdr *nlh, const void *cookie);
/* nft's comment user data (one TLV) as attribute attr. */
bool cc_put_comment(struct nfk_buf *b, uint16_t attr, uint8_t type, const char *s);
/* A message with just a few name attributes (deletes, flushes). */
bool cc_simple_msg(struct cctx *c, const struct nfk_cmd *cmd, uint16_t type, int family,
		   const uint16_t *attrs, const char *const *vals, unsigned n, uint64_t handle,
		   uint16_t handle_attr);

/* ---- expression encoding (emit.c) ---------------------------------------- */

bool cc_expr_begin(struct nfk_buf *b, struct ebuf *e, const char *name);
bool cc_expr_end(struct nfk_buf *b, struct ebuf *e);
bool cc_put_data(struct nfk_buf *b, uint16_t type, const void *v, unsigned len);
bool cc_put_verdict(struct nfk_buf *b, uint16_t type, int code, const char *chain);
bool cc_emit_meta_load(struct nfk_buf *b, unsigned key, unsigned dreg);
bool cc_emit_payload_load(struct nfk_buf *b, unsigned base, unsigned off, unsigned len,
			  unsigned dreg);
bool cc_emit_cmp(struct nfk_buf *b, unsigned sreg, unsigned op, const void *v, unsigned len);
bool cc_emit_bitwise(struct nfk_buf *b, unsigned reg, const void *mask, const void *xor,
		     unsigned len);
bool cc_emit_range(struct nfk_buf *b, unsigned reg, unsigned op, const void *lo,
		   const void *hi, unsigned len);
bool cc_emit_byteorder(struct nfk_buf *b, unsigned reg, unsigned len);
bool cc_emit_immediate(struct nfk_buf *b, unsigned dreg, const void *v, unsigned len);
bool cc_emit_verdict(struct nfk_buf *b, int code, const char *chain);
bool cc_emit_lookup(struct nfk_buf *b, const char *set, uint32_t id, unsigned sreg, int dreg,
		    bool inv);
bool cc_emit_shift(struct nfk_buf *b, unsigned reg, int op, uint32_t n, unsigned len);

/* ---- protocol dependencies and payload merging (deps.c) ----------------- */

/* payload load + cmp eq, recorded for nft's merging of adjacent matches */
bool cc_payload_eq(struct rctx *r, unsigned base, unsigned off, unsigned len,
		   const uint8_t *v, bool proto);
/* Ends a run of matches: merges its payload matches as nft does. */
bool cc_pm_flush(struct rctx *r, struct errmap *em);
bool cc_dep_meta(struct rctx *r, unsigned key, const void *v, unsigned len);
bool cc_need_l3(struct rctx *r, const struct nfk_proto *pr, const struct nfk_loc *loc);
bool cc_payload_dep(struct rctx *r, const struct nfk_proto *pr, const struct nfk_loc *loc);
/* What an equality match tells about the packet's protocols. */
void cc_ctx_update(struct rctx *r, const struct ex *lhs, const uint8_t *v, unsigned len);

/* ---- sets (set.c) and their elements (setelem.c) --------------------------- */

const struct kset *cc_find_set(struct cctx *c, int family, const char *table,
			       const char *name, struct kset *tmp);
void cc_set_missing(struct cctx *c, const struct nfk_loc *loc, int family, const char *table,
		    const char *name);
void cc_set_missing_at(struct cctx *c, const struct nfk_loc *loc,
		       const struct nfk_loc *table_loc, int family, const char *table,
		       const char *name);
bool cc_newset(struct cctx *c, const struct kset *ks, const struct set_decl *d,
	       uint16_t flags, const void *cookie, unsigned nelems, bool anon);
/* key: the expression the set is looked up with (nft records its typeof),
 * or NULL */
struct kset *cc_anon_set(struct rctx *r, const struct ex *set, const struct ex *key,
			 const struct sel *ks_sel, unsigned nsel, const struct nfk_dtype *datat,
			 bool map, const void *cookie);
bool cc_set(struct cctx *c, const struct nfk_cmd *cmd, int family, const char *table,
	    const struct set_decl *d);
bool cc_elements(struct cctx *c, struct elw *w, const struct ex *set,
		 const struct elem_src *src);
bool cc_elements_cmd(struct cctx *c, const struct nfk_cmd *cmd, uint16_t msgtype);
bool cc_set_has_intervals(const struct ex *set);
/* Turns a host-order value loaded into reg to network order, as nft does
 * before intervals and ordered comparisons (strings stay as they are);
 * false only when out of memory. */
bool cc_hton(struct rctx *r, struct sel *s, unsigned reg);
/* nft's type checks of set and map keys and data (set.c) */
bool cc_dtype_compatible(const struct nfk_dtype *a, const struct nfk_dtype *b);
bool cc_key_matches(const struct kset *ks, const struct sel *s, unsigned nsel);
/* "IPv4 address", "concatenation of (IPv4 address, internet network service)" */
void cc_types_desc(char *buf, size_t size, const struct nfk_dtype *const *t, unsigned n);
void cc_sel_types_desc(char *buf, size_t size, const struct sel *s, unsigned n);
bool cc_map_types_check(struct rctx *r, const struct ex *e, const struct kset *m,
			const struct sel *ks, unsigned n, const struct sel *target);
/* Declarations of more members than a kset keeps (setwide.c): sent as nft
 * sends them, for the kernel to refuse. */
bool cc_set_is_wide(const struct set_decl *d);
bool cc_kset_wide(struct cctx *c, struct kset *ks, int family, const char *table,
		  const struct set_decl *d);
/* A map's data type naming a stateful object kind: its NFT_OBJECT_*, or 0. */
uint32_t cc_objmap_type(const char *name);
/* A set's user data: the typeof expressions (typeof.c). */
bool cc_put_typeof(struct ud_buf *u, uint8_t type, const struct ex *e);

/* ---- tables, chains, objects, flowtables ----------------------------------- */

bool cc_table_msg(struct cctx *c, const struct nfk_cmd *cmd, const struct table_decl *t);
bool cc_chain_msg(struct cctx *c, const struct nfk_cmd *cmd, int family, const char *table,
		  const struct chain_decl *ch, const char *name);
bool cc_obj(struct cctx *c, const struct nfk_cmd *cmd, int family, const char *table,
	    const struct obj_decl *o);
uint32_t cc_obj_type(enum nfk_obj_kind kind);
bool cc_flowtable(struct cctx *c, const struct nfk_cmd *cmd, int family, const char *table,
		  const struct flowtable_decl *f);

#endif
