/* slab: memory for many blocks of a few sizes that come and go, the model checker's saved states. Blocks are cut
 * from large mappings with transparent huge pages asked for (one page fault per 2 MiB instead of one per 4 KiB, which
 * a virtual machine makes expensive), in size classes of four per power of two, and a freed block waits on its class's
 * list for the next block of that size: no C heap bookkeeping, and memory once touched is used again.
 *
 * Blocks larger than SLAB_LARGE_BYTES come from the C heap. A slab is used by one thread at a time. Its memory goes
 * back to the system when it is destroyed and its last block freed, in either order. */
#ifndef LOCKSTEP_SLAB_H
#define LOCKSTEP_SLAB_H

#include <stddef.h>

typedef struct Slab Slab;

enum { SLAB_LARGE_BYTES = 1 << 20 };

Slab *slab_create(void);
/* NULL-safe; the memory of blocks still allocated stays until they are freed. */
void slab_destroy(Slab *s);

/* The size of the class that holds `need` bytes (at most a quarter more, at least 64): what slab_alloc gives. */
size_t slab_size(size_t need);
/* A block of slab_size(need) bytes, aligned to 16; exits when the system has no memory left. */
void *slab_alloc(Slab *s, size_t need);
/* Back to its class's list; `need` as given to slab_alloc (or any size of the same class). NULL-safe. */
void slab_free(Slab *s, void *p, size_t need);
/* The memory the slab holds from the system: its mappings and its large blocks. */
size_t slab_footprint(const Slab *s);

#endif
