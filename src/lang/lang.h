/* SPDX-License-Identifier: MIT */
/*
 * The contract between the nft language front end (lexer, parser,
 * evaluator, compiler), the back end (kernel state, decompiler, listing)
 * and the CLI/API.  Each side owns its files; this header is the seam.
 */
#ifndef NFK_LANG_H
#define NFK_LANG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../nl/nl.h"
#include "../state/kstate.h"
#include "types.h"

/* ---- sources, locations and diagnostics -------------------------------- */

/* One input text: a file, an included file, or the command line
 * (name NULL).  The text stays alive as long as the script. */
struct nfk_src {
	const char *name;
	const char *text;
	size_t len;
	/* the include statement that brought this file in, or NULL; nft
	 * prints the chain as "In file included from ..." */
	const struct nfk_loc *included_from;
};

/* 1-based line; 1-based inclusive columns, as nft prints them. */
struct nfk_loc {
	const struct nfk_src *src;
	uint32_t line;
	uint32_t col;
	uint32_t col_end;
	uint32_t offset;   /* byte offset of the first column in src->text */
};

struct nfk_diag {
	struct nfk_loc loc;
	char msg[256];     /* without the "Error: " prefix */
	/* A second location nft underlines with '~' (the other operand of a
	 * mismatch, the interval an element conflicts with); line 0: none. */
	struct nfk_loc ctx;
	bool plain;        /* a line printed as it is (nfk_diag_note) */
	bool eval;         /* an error of evaluation, not of syntax (see below) */
	unsigned cmd;      /* the command it is about, from 1 (0: not known) */
};

/* nft reports at most ten errors: the syntax errors of the whole input
 * first (its parser stops at the tenth), then what evaluation finds in the
 * commands that parsed.  Room for both before nfk_diags_settle(). */
#define NFK_DIAG_ERRORS 10
#define NFK_DIAG_MAX (2 * NFK_DIAG_ERRORS + 4)
struct nfk_diags {
	struct nfk_diag d[NFK_DIAG_MAX];
	unsigned n;        /* may exceed NFK_DIAG_MAX: the rest were counted */
};

void nfk_diag_add(struct nfk_diags *ds, const struct nfk_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Prints one diagnostic as nft does:
 *   FILE:LINE:COL-COL_END: Error: MSG
 *   <the source line>
 *   <spaces>^^^^
 * For command-line input the first line is just "Error: MSG".
 */
void nfk_diag_print(FILE *f, const struct nfk_diag *d);
/* A line nft prints as it is, not as an error with a location
 * ("netlink: Error: Unknown data type in set key 12345"). */
void nfk_diag_note(struct nfk_diags *ds, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Marks the last diagnostic added as an evaluation error about command
 * cmd (from 1). */
void nfk_diag_tag_eval(struct nfk_diags *ds, unsigned cmd);
/* Puts syntax errors first, then the evaluation errors by command and
 * position, and keeps the first NFK_DIAG_ERRORS, as nft prints them. */
void nfk_diags_settle(struct nfk_diags *ds);
/* Gives the last diagnostic added a context location (see struct nfk_diag). */
void nfk_diag_set_ctx(struct nfk_diags *ds, const struct nfk_loc *ctx);

/* ---- parsed commands ---------------------------------------------------- */

enum nfk_cmd_op {
	NFK_CMD_ADD, NFK_CMD_CREATE, NFK_CMD_INSERT, NFK_CMD_REPLACE, NFK_CMD_DELETE,
	NFK_CMD_DESTROY, NFK_CMD_FLUSH, NFK_CMD_LIST, NFK_CMD_GET, NFK_CMD_RESET,
	NFK_CMD_RENAME, NFK_CMD_DESCRIBE, NFK_CMD_MONITOR,
};

enum nfk_obj_kind {
	NFK_OBJ_RULESET, NFK_OBJ_TABLE, NFK_OBJ_CHAIN, NFK_OBJ_RULE, NFK_OBJ_SET,
	NFK_OBJ_MAP, NFK_OBJ_ELEMENT, NFK_OBJ_COUNTER, NFK_OBJ_QUOTA, NFK_OBJ_LIMIT,
	NFK_OBJ_CT_HELPER, NFK_OBJ_CT_TIMEOUT, NFK_OBJ_CT_EXPECT, NFK_OBJ_SECMARK,
	NFK_OBJ_SYNPROXY, NFK_OBJ_FLOWTABLE,
	/* plural list forms: "list tables", "list sets", "list counters" ... */
	NFK_OBJ_TABLES, NFK_OBJ_CHAINS, NFK_OBJ_SETS, NFK_OBJ_MAPS, NFK_OBJ_COUNTERS,
	NFK_OBJ_QUOTAS, NFK_OBJ_LIMITS, NFK_OBJ_FLOWTABLES, NFK_OBJ_CT_HELPERS, NFK_OBJ_SYNPROXYS,
	NFK_OBJ_SECMARKS,
};

/* What a command names.  Strings are owned by the script. */
struct nfk_handle {
	int family;            /* NFPROTO_*; -1 when not given (list ruleset) */
	const char *table;
	const char *chain;
	const char *set;       /* set, map, or stateful object name */
	uint64_t handle;       /* 0 = none */
	uint64_t position;     /* "position N" (rules) */
	uint32_t index;        /* "index N" (rules), or UINT32_MAX */
	bool has_index;
	struct nfk_loc loc;    /* where the command starts */
	/* Where each name was written; errors about a missing object point
	 * there, as nft does ("list table inet nosuch" marks "nosuch").
	 * A zero line means not given. */
	struct nfk_loc table_loc, chain_loc, set_loc, handle_loc;
};

/* One command; body is private to the front end. */
struct nfk_cmd {
	enum nfk_cmd_op op;
	enum nfk_obj_kind obj;
	struct nfk_handle h;
	struct nfk_loc loc;
	void *body;
};

struct nfk_script;

/* Parses text (one of the CLI's joined words, or a whole file).  Includes
 * are resolved relative to the including file and the include paths.
 * 0, or -EINVAL with diagnostics in ds.  *out is freed with
 * nfk_script_free() whatever the result.  After -EINVAL it holds the
 * commands that parsed, which nft goes on to evaluate (compile them, to
 * report their errors, never to send them). */
int nfk_script_parse(struct nfk_script **out, const char *name, const char *text,
		     struct nfk_diags *ds);
int nfk_script_parse_file(struct nfk_script **out, const char *path, struct nfk_diags *ds);

/* Parser options: nft -I include directories, -D definitions ("name=value"). */
struct nfk_parse_opts {
	const char *const *include_paths;
	size_t ninclude;
	const char *const *defines;
	size_t ndefines;
};
/* As above, with options (o may be NULL). */
int nfk_script_parse_opts(struct nfk_script **out, const char *name, const char *text,
			  const struct nfk_parse_opts *o, struct nfk_diags *ds);
int nfk_script_parse_file_opts(struct nfk_script **out, const char *path,
			       const struct nfk_parse_opts *o, struct nfk_diags *ds);
void nfk_script_free(struct nfk_script *sc);

size_t nfk_script_ncmds(const struct nfk_script *sc);
const struct nfk_cmd *nfk_script_cmd(const struct nfk_script *sc, size_t i);

/* ---- kernel state: src/state/kstate.h (nfk_set_info, nfk_kstate_*) ---- */

/* ---- compiling commands into a batch ----------------------------------- */

/* Targeted questions to the kernel about one existing set, so that adding
 * elements to an interval set needs no dump of it (src/api/elemprobe.c). */
struct nfk_elem_probe {
	/* The kernel's interval holding key, [lo, hi] inclusive: 1; 0 when
	 * none holds it; -errno. */
	int (*interval_at)(void *arg, int family, const char *table, const char *set,
			   const uint8_t *key, unsigned klen, uint8_t *lo, uint8_t *hi);
	/* 1 when the set holds no element at all, 0 when it holds some, -errno. */
	int (*is_empty)(void *arg, int family, const char *table, const char *set);
	void *arg;
};

struct nfk_compile_opts {
	const struct nfk_kstate *ks;   /* may be NULL: offline compile */
	bool echo;                     /* -e: NLM_F_ECHO on new objects */
	/* ks was fetched with set elements (nfk_kstate_fetch): elements added
	 * to interval sets are checked against the kernel's, as nft does */
	bool ks_elems;
	/* Without ks_elems: asked about existing interval sets that elements
	 * are added to (nft's leading end element, auto-merge).  May be NULL. */
	const struct nfk_elem_probe *probe;
	/* Sets the caller knows of that are neither in the script nor in ks
	 * (an API transaction's own); consulted before ks.  May be NULL. */
	const struct nfk_set_info *(*set_lookup)(void *arg, int family, const char *table,
						 const char *set);
	void *set_lookup_arg;
	/* The transaction's set id counter (NFTA_SET_ID and the lookups,
	 * dynsets, objrefs and element lists naming a set by id), carried
	 * across compiles that go into one batch: ids are taken after
	 * *next_set_id, which is left at the last id taken.  NULL: this
	 * compile's own counter, from 0. */
	uint32_t *next_set_id;
};

/*
 * Evaluates (type-checks) every mutating command of the script and
 * appends its messages to b, in the order nft emits them.  Each message's
 * cookie is the const struct nfk_loc * of the command or statement that
 * produced it, so kernel errors can be shown at their source.
 * list/get/monitor commands are skipped here.
 * 0, or -EINVAL with diagnostics in ds (nothing useful is left in b).
 */
int nfk_script_compile(struct nfk_script *sc, const struct nfk_compile_opts *o,
		       struct nfk_batch *b, struct nfk_diags *ds);
/* Does the script add elements to sets it does not declare?  Then nft
 * fetches the kernel's elements first (and so should the caller). */
bool nfk_script_needs_elems(const struct nfk_script *sc);

/* Compiles one `get element` command's elements into NFT_MSG_GETSETELEM
 * messages (encoded as a delete would be).  0 or -EINVAL with diagnostics. */
int nfk_script_compile_get(struct nfk_script *sc, const struct nfk_cmd *cmd,
			   const struct nfk_compile_opts *o, struct nfk_batch *b,
			   struct nfk_diags *ds);

/* Maps a kernel error about the message carrying this cookie, with the
 * extended-ACK attribute offset within that message (or -1), to the source
 * location nft would point at (the exact expression when the offset says
 * which one).  The front end implements it; the CLI prints the result. */
const struct nfk_loc *nfk_script_err_loc(const struct nfk_script *sc, const void *cookie,
					 int32_t attr_off);

/* For a kernel ENOENT about the message carrying cookie: nft's error with
 * its "did you mean" suggestion (a table or chain with a close name, of the
 * kernel's (ks, may be NULL) or the script's), written to buf; or NULL when
 * nft would suggest nothing. */
const char *nfk_script_enoent_hint(const struct nfk_script *sc, const struct nfk_kstate *ks,
				   const void *cookie, char *buf, size_t len);
/* The same for a set or map the compiler did not find; *about_table: the
 * table itself is missing (nft then points at the table's name). */
const char *nfk_script_set_hint(const struct nfk_script *sc, const struct nfk_kstate *ks,
				int family, const char *table, const char *name, char *buf,
				size_t len, bool *about_table);

/* Prints the batch's messages as `nft --debug=netlink` does (set
 * declarations, elements, rules with their expressions). */
void nfk_batch_print_debug(FILE *f, const struct nfk_batch *b);

/* ---- the back end: kernel state, listing, decompiling ------------------- */

/* Output options, as nft's -a -s -t -n ... flags. */
struct nfk_list_opts {
	bool handle;      /* -a */
	bool stateless;   /* -s */
	bool terse;       /* -t */
	unsigned print;   /* NFK_PRINT_* */
	bool kernel_order;   /* -e: elements of non-interval sets as the kernel
			      * gives them (nft sorts them only when listing) */
	bool query_order;    /* get element: elements as asked (interval
			      * sets: start, end pairs), never sorted */
};

/* Runs one list command against the snapshot and prints what nft prints.
 * Returns 0, or -ENOENT etc. with a message in ds pointing at the cmd. */
int nfk_list_cmd(FILE *f, const struct nfk_kstate *ks, const struct nfk_cmd *cmd,
		 const struct nfk_list_opts *o, struct nfk_diags *ds);

/* ---- nft -e: what the kernel echoes, printed as nft does -------------- */

struct nfk_echo;

int nfk_echo_new(struct nfk_echo **out);
void nfk_echo_free(struct nfk_echo *e);
/* An nfk_msg_cb for nfk_batch_set_echo(b, nfk_echo_collect, e): keeps one
 * echoed object or the NEWGEN.  0 or -ENOMEM. */
int nfk_echo_collect(const struct nlmsghdr *nlh, void *e);
/* Prints what was collected, in order, one line per object as nft -e
 * does.  base (may be NULL) supplies the sets that elements and rules
 * refer to but the transaction did not create.  0 or -errno. */
int nfk_echo_print(FILE *f, struct nfk_echo *e, const struct nfk_kstate *base,
		   const struct nfk_list_opts *o);

/* Decompiles one rule's NFTA_RULE_EXPRESSIONS payload into the statement
 * text nft lists ("tcp dport 22 counter packets 0 bytes 0 accept"). */
int nfk_rule_decompile(FILE *f, const struct nfk_kstate *ks, int family, const char *table,
		       const void *exprs, size_t len, const struct nfk_list_opts *o);

#endif
