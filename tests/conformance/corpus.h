/* SPDX-License-Identifier: MIT */
/*
 * A tiny JSON Lines reader for the conformance corpus
 * (/work/shared/conformance/README.md): one record per line, each parsed
 * into a small JSON tree that the runners query by field name.
 */
#ifndef NFK_CORPUS_H
#define NFK_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

enum corpus_kind { CJ_NULL, CJ_BOOL, CJ_NUM, CJ_STR, CJ_ARR, CJ_OBJ };

struct corpus_val {
	enum corpus_kind kind;
	bool b;
	double num;
	char *str;                 /* CJ_STR: unescaped, NUL-terminated */
	size_t n;                  /* CJ_ARR/CJ_OBJ: number of items */
	struct corpus_val *items;  /* CJ_ARR/CJ_OBJ */
	char **keys;               /* CJ_OBJ: key of each item */
};

struct corpus;

/* Opens a .jsonl file; NULL (errno set) on failure. */
struct corpus *corpus_open(const char *path);
void corpus_close(struct corpus *c);

/* Reads the next record.  Returns the record's top-level object (valid
 * until the next call), or NULL at the end.  Lines that are not valid JSON
 * objects are skipped with a warning on stderr. */
const struct corpus_val *corpus_next(struct corpus *c);
/* 1-based line number of the record last returned. */
size_t corpus_lineno(const struct corpus *c);
/* Lines skipped so far because they were not JSON objects (a runner counts
 * each as a failure: a record it could not read is not a record it passed). */
size_t corpus_bad_lines(const struct corpus *c);

/* Field access on an object; all accept NULL and return the default. */
const struct corpus_val *corpus_get(const struct corpus_val *obj, const char *key);
const char *corpus_str(const struct corpus_val *obj, const char *key);  /* NULL if absent/not a string */
long corpus_int(const struct corpus_val *obj, const char *key, long dflt);
bool corpus_bool(const struct corpus_val *obj, const char *key, bool dflt);
/* Array of strings: number of items (0 if absent or null); *items points
 * at the values (check ->kind == CJ_STR; ->str). */
size_t corpus_arr(const struct corpus_val *obj, const char *key,
		  const struct corpus_val **items);
/* The i-th string of a string array, or NULL. */
const char *corpus_arr_str(const struct corpus_val *obj, const char *key, size_t i);

/* Parses one JSON text into v (freed with corpus_val_free). 0 or -1. */
int corpus_parse(const char *text, struct corpus_val *v);
void corpus_val_free(struct corpus_val *v);

/*
 * Known failures: a runner's list of the records it is known to fail, each
 * with its reason, so that the run can be exact: a failure that is not
 * listed fails the run, and so does a listed record that passes.
 *
 * File format: one record per line, "ID REASON" (the id has no blanks; the
 * reason is the rest of the line and must not be empty); blank lines and
 * lines starting with '#' are ignored.  An id may be listed once.
 */
struct known_list;

/* Loads a list (path NULL: an empty list).  NULL after printing why on
 * stderr (cannot read it, malformed line, duplicate id). */
struct known_list *known_load(const char *path);
void known_free(struct known_list *k);
/* The listed reason for id, or NULL; marks the entry as seen. */
const char *known_reason(struct known_list *k, const char *id);
/* The file the list came from ("(none)" for an empty list). */
const char *known_path(const struct known_list *k);

/*
 * The verdict on one record, given whether it passed and, when it did
 * not, why (a short fixed phrase first, e.g. "payload differs", then any
 * detail).  A failure is known when the record is listed and its listed
 * reason starts with the phrase the runner gives now (so a record listed
 * for one failure that now fails otherwise is a new failure).
 */
enum known_verdict {
	KV_PASS,        /* passed, not listed */
	KV_FAIL,        /* failed, not listed (or listed for another reason) */
	KV_KNOWN,       /* failed as listed */
	KV_FIXED,       /* passed but listed: the list must lose the entry */
};
enum known_verdict known_judge(struct known_list *k, const char *id, bool ok, const char *why);
/* Prints the verdict's line on stdout (nothing for KV_PASS):
 *   FAIL ID: WHY [(listed as: REASON)]
 *   known ID: REASON
 *   FIXED ID: passes now, remove it from FILE */
void known_report(const struct known_list *k, enum known_verdict v, const char *id,
		  const char *why);
/* Prints the entries of the list the run never met, as a note, and returns
 * how many.  Not a failure: a run restricted to part of a corpus (or on
 * another corpus file) does not meet them all. */
size_t known_report_unseen(const struct known_list *k);

#endif
