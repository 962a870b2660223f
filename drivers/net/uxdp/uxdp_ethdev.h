/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_ETHDEV_H
#define UXDP_ETHDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <limits.h>
#include <net/if.h>
#include <sys/queue.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_rcu_qsbr.h>
#include <rte_spinlock.h>

#include "uxdp_bpf.h"

extern int uxdp_logtype;
#define UXDP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, uxdp_logtype, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

/* Most packets taken from the sub-port in one rx_burst call: bounds the
 * on-stack XDP_TX batch and the time one call can take. */
#define UXDP_RX_BURST_MAX 128

/* const= devargs kept per port, and the longest one (a hex:<bytes>
 * value of up to ~120 bytes fits). */
#define UXDP_DEVARGS_CONST_MAX 16
#define UXDP_DEVARGS_CONST_LEN 256
/* map_update= devargs kept per port. */
#define UXDP_DEVARGS_MAP_UPDATE_MAX 32

/* Replaced programs a port keeps while an RX queue that is started but
 * not polled may still run them; one more swap is refused. */
#define UXDP_SWAP_RETIRED_MAX 8

/* Parsed devargs. */
struct uxdp_devargs {
	char vdev_name[RTE_DEV_NAME_MAX_LEN]; /* whose devargs, for messages */
	char dev[RTE_DEV_NAME_MAX_LEN];   /* dev=: existing DPDK device */
	char iface[IF_NAMESIZE];     /* iface=: Linux netdev for AF_XDP */
	char prog[PATH_MAX];              /* prog=: BPF object file */
	char sec[64];                     /* sec=: program section */
	char name[64];                    /* name=: program function name */
	enum uxdp_engine engine;          /* mode=jit|interp */
	bool engine_given;                /* mode= was in the devargs */
	enum uxdp_verify verify;          /* verify=, default auto */
	uint32_t queue_count;             /* queue_count= (iface only) */
	uint32_t start_queue;             /* start_queue= (iface only) */
	int64_t ifindex;                  /* ifindex=, -1: default */
	/* const=NAME:VALUE, repeatable: `volatile const` settings, kept
	 * as text (syntax checked) and parsed again at load */
	char consts[UXDP_DEVARGS_CONST_MAX][UXDP_DEVARGS_CONST_LEN];
	unsigned int n_consts;
	/* map_update=NAME:KEYHEX:VALHEX[:PROG], repeatable */
	char map_updates[UXDP_DEVARGS_MAP_UPDATE_MAX][UXDP_DEVARGS_CONST_LEN];
	unsigned int n_map_updates;
};

/* Verdict counters of one RX queue; written only by the lcore polling it. */
struct uxdp_rxq_stats {
	uint64_t pass;
	uint64_t drop;
	uint64_t tx;
	uint64_t aborted;
	uint64_t tx_errors;
	uint64_t nonlinear_drops;
	uint64_t room_misses;       /* helpers failed for lack of mbuf room */
	uint64_t redirect;          /* frames sent by XDP_REDIRECT (copies too) */
	uint64_t redirect_errors;   /* redirected frames freed unsent */
	uint64_t devmap_runs;       /* frames a devmap entry's program ran on */
	uint64_t devmap_drops;      /* ... that it dropped (XDP_DROP) */
	uint64_t devmap_aborted;    /* ... that it failed: any other non-PASS */
};

/* Egress ports one RX burst stages redirected frames for before it must
 * send early, and the most ports one broadcast reaches. */
#define UXDP_REDIRECT_BULKS 8
#define UXDP_REDIRECT_MULTI_MAX 64

/* Frames of one RX burst bound for one egress port and queue. */
struct uxdp_redirect_bulk {
	uint16_t port;
	uint16_t queue;
	uint16_t n;
	rte_spinlock_t *lock;
	/* The devmap program of the bulk's first frame, which all its
	 * frames run before they leave, as the kernel's per-device bulk
	 * queue keeps one program; NULL: none. */
	const struct uxdp_prog *prog;
	uint32_t egress_ifindex;    /* the egress port's ifindex, for prog */
	struct rte_mbuf *pkts[UXDP_RX_BURST_MAX];
};

struct uxdp_redirect_stage {
	unsigned int n_bulks;
	struct uxdp_redirect_bulk bulks[UXDP_REDIRECT_BULKS];
};

struct pmd_internals;

struct uxdp_rxq {
	struct pmd_internals *priv;
	uint16_t queue_id;      /* same id on the wrapper and the sub-port */
	uint16_t xdp_txq;       /* sub-port TX queue for XDP_TX */
	/* Always taken: redirects from other lcores share xdp_txq. */
	rte_spinlock_t *xdp_txq_lock;
	struct uxdp_redirect_stage *redirect; /* this burst's redirects */
	int meta_dynfield;      /* offset of the metadata length (uxdp_meta.c) */
	struct uxdp_rxq_stats stats;
} __rte_cache_aligned;

struct uxdp_txq {
	struct pmd_internals *priv;
	uint16_t queue_id;
	rte_spinlock_t *lock;   /* set when XDP_TX shares this queue */
} __rte_cache_aligned;

struct pmd_internals {
	TAILQ_ENTRY(pmd_internals) next;    /* telemetry registry */
	uint16_t port_id;
	uint16_t sub_port_id;
	char sub_name[RTE_DEV_NAME_MAX_LEN];
	bool sub_created;                   /* we probed it (iface=), we remove it */
	struct rte_eth_dev_owner owner;
	struct uxdp_devargs args;
	uint32_t ingress_ifindex;

	struct uxdp_obj *obj;
	/* The running program; read with acquire on every burst so that a
	 * later hot swap can publish a new one atomically. */
	struct uxdp_prog *prog;
	char prog_path[PATH_MAX];           /* file of the running program */
	uint64_t load_ns;                   /* its load, checks and JIT */

	/* Hot swap (uxdp_swap.c): RX queue i is QSBR thread i, online
	 * while the port is started; a replaced object waits in retired
	 * until every RX queue has passed a quiescent state. */
	struct rte_rcu_qsbr *qsbr;
	struct uxdp_obj *retired[UXDP_SWAP_RETIRED_MAX];
	uint64_t retired_token[UXDP_SWAP_RETIRED_MAX];
	unsigned int n_retired;
	uint32_t swaps;                     /* successful swaps */
	char last_swap_error[128];
	/* xstat xdp_sandbox_faults (uxdp_xstats.c): the running program's
	 * count when xstats were last reset, and which program that was. */
	uint64_t sandbox_faults_base;
	const struct uxdp_prog *sandbox_faults_prog;

	uint16_t nb_app_txq;                /* TX queues the app configured */
	bool xdp_tx_shared;                 /* XDP_TX shares the app's queues */
	rte_spinlock_t txq_lock[RTE_MAX_QUEUES_PER_PORT];
};

/* uxdp_devargs.c */
int uxdp_devargs_parse(const char *name, const char *params,
		       struct uxdp_devargs *args);

/* uxdp_map_update.c: map_update= entries. */
struct uxdp_map_update {
	char name[64];
	uint8_t key[64];
	uint8_t value[128];
	uint32_t key_len;
	uint32_t value_len;
	/* :PROG, a fourth field: the object's devmap program whose id goes into the
	 * value's bpf_prog field (bytes 4..7); "" when not given */
	char prog[64];
};
int uxdp_map_update_parse(const char *text, struct uxdp_map_update *u);
int uxdp_map_updates_apply(struct pmd_internals *priv, const char *dev_name);

/* uxdp_prog_load.c: a port's program, at probe and for a swap. */
struct uxdp_loaded {
	struct uxdp_obj *obj;
	struct uxdp_prog *prog;
	uint64_t load_ns;
	char path[PATH_MAX];
};
int uxdp_prog_load(const struct uxdp_devargs *a, const char *dev_name,
		   const char *path, const char *sel, struct uxdp_obj *reuse,
		   struct uxdp_loaded *out, char *err, size_t err_len);

/* uxdp_swap.c: hot program swap. */
int uxdp_swap_init(struct pmd_internals *priv);
void uxdp_swap_fini(struct pmd_internals *priv);
void uxdp_swap_queues_online(struct rte_eth_dev *dev);
void uxdp_swap_queues_offline(struct rte_eth_dev *dev);
/* Free the replaced programs no RX queue can still run; returns how many
 * wait. Caller holds the telemetry lock. */
unsigned int uxdp_swap_reap(struct pmd_internals *priv);
/* What a swap kept: map names whose state survived, and those that
 * start fresh. */
struct uxdp_swap_report {
	unsigned int n_kept;
	unsigned int n_fresh;
	const char *kept[64];
	const char *fresh[64];
	bool old_freed;     /* false: freed later, once every queue moved on */
};
int uxdp_prog_swap(struct pmd_internals *priv, const char *path,
		   const char *sel, struct uxdp_swap_report *rep, char *err,
		   size_t err_len);

/* uxdp_ops.c */
extern const struct eth_dev_ops uxdp_dev_ops;
void uxdp_release_sub(struct pmd_internals *priv);

/* uxdp_rxtx.c */
uint16_t uxdp_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts);
/* Offset of the mbuf field RTE_PMD_UXDP_META_LEN_DYNFIELD, or -errno. */
int uxdp_meta_dynfield_register(void);
uint16_t uxdp_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts);

/* uxdp_redirect.c: XDP_REDIRECT to DPDK ports. */
void uxdp_redirect_register(struct pmd_internals *priv);
void uxdp_redirect_unregister(struct pmd_internals *priv);
void uxdp_redirect_enqueue(struct uxdp_rxq *rxq, struct rte_mbuf *m,
			   const struct uxdp_redirect *ri);
void uxdp_redirect_flush(struct uxdp_rxq *rxq);

/* uxdp_xstats.c */
int uxdp_xstats_get_names(struct rte_eth_dev *dev,
			  struct rte_eth_xstat_name *names, unsigned int size);
int uxdp_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		    unsigned int n);
int uxdp_xstats_reset(struct rte_eth_dev *dev);
void uxdp_stats_sum(struct rte_eth_dev *dev, struct uxdp_rxq_stats *sum);
/* The verdict counters by index, for telemetry: one list for both. */
unsigned int uxdp_xstat_count(void);
const char *uxdp_xstat_name(unsigned int i);
uint64_t uxdp_xstat_value(const struct uxdp_rxq_stats *s, unsigned int i);

/* uxdp_telemetry.c: registry of live ports for the /uxdp/ commands. */
void uxdp_registry_add(struct pmd_internals *priv);
void uxdp_registry_remove(struct pmd_internals *priv);

#endif /* UXDP_ETHDEV_H */
