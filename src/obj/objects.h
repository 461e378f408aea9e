/* SPDX-License-Identifier: MIT */
/*
 * Attribute schemas of every nf_tables object (table, chain, rule, set,
 * element, stateful object, flowtable, generation, trace) and the map from
 * NFT_MSG_* message types to them.  Objects stay netlink bytes; these
 * tables say what the bytes may hold.
 */
#ifndef NFK_OBJECTS_H
#define NFK_OBJECTS_H

#include "schema.h"

extern const struct nfk_schema nfk_table_schema;
extern const struct nfk_schema nfk_chain_schema;
extern const struct nfk_schema nfk_hook_schema;          /* NFTA_HOOK_* */
extern const struct nfk_schema nfk_devices_schema;       /* NFTA_DEVICE_NAME... */
extern const struct nfk_schema nfk_counters_schema;      /* NFTA_COUNTER_* */
extern const struct nfk_schema nfk_rule_schema;
extern const struct nfk_schema nfk_rule_compat_schema;
extern const struct nfk_schema nfk_set_schema;
extern const struct nfk_schema nfk_set_desc_schema;
extern const struct nfk_schema nfk_set_field_schema;     /* one concat field */
extern const struct nfk_schema nfk_setelem_list_schema;
extern const struct nfk_schema nfk_setelem_schema;
extern const struct nfk_schema nfk_obj_schema;
extern const struct nfk_schema nfk_flowtable_schema;
extern const struct nfk_schema nfk_flowtable_hook_schema;
extern const struct nfk_schema nfk_gen_schema;
extern const struct nfk_schema nfk_trace_schema;

/* NFTA_OBJ_DATA schemas, one per NFT_OBJECT_* type. */
extern const struct nfk_schema nfk_obj_ct_helper_schema;
extern const struct nfk_schema nfk_obj_ct_timeout_schema;
extern const struct nfk_schema nfk_obj_ct_timeout_data_schema;   /* its per-state seconds */
extern const struct nfk_schema nfk_obj_ct_expect_schema;
extern const struct nfk_schema nfk_obj_secmark_schema;
extern const struct nfk_schema nfk_obj_tunnel_schema;

/* The NFTA_OBJ_DATA schema of an NFT_OBJECT_* type (counter, quota and
 * limit share their expression's); NULL when unknown. */
const struct nfk_schema *nfk_obj_data_schema(uint32_t obj_type);
/* libnftnl's name of an object type ("counter", "ct_helper"...), or NULL. */
const char *nfk_obj_type_name(uint32_t obj_type);

/* The schema of an nf_tables message (NFT_MSG_NEWRULE, GETRULE, DELRULE
 * all give the rule schema), or NULL when the type is unknown. */
const struct nfk_schema *nfk_msg_schema(uint16_t nft_msg);

/*
 * Validates one nf_tables netlink message: header lengths, then its
 * attributes against the schema of its type, recursively (expressions
 * included; NFTA_OBJ_DATA against the schema of NFTA_OBJ_TYPE).  Batch
 * begin/end messages are accepted.  0, -EINVAL (err filled) or
 * -EOPNOTSUPP for a message type this build does not know.
 */
int nfk_msg_validate(const struct nlmsghdr *nlh, struct nfk_verr *err);

#endif
