/* sanitize: whether this build runs under AddressSanitizer (gcc defines __SANITIZE_ADDRESS__, clang answers
 * __has_feature), for the few places that must behave differently there: memory that ASan's allocator should check,
 * and resident-size measurements that its quarantine of freed memory makes meaningless. */
#ifndef LOCKSTEP_SANITIZE_H
#define LOCKSTEP_SANITIZE_H

#if defined(__SANITIZE_ADDRESS__)
#define LS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LS_ASAN 1
#endif
#endif
#ifndef LS_ASAN
#define LS_ASAN 0
#endif

/* ThreadSanitizer, likewise (fibers tell it about their switches; arenas are off under it). */
#if defined(__SANITIZE_THREAD__)
#define LS_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LS_TSAN 1
#endif
#endif
#ifndef LS_TSAN
#define LS_TSAN 0
#endif

#endif
