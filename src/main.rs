//! The `hagen` command: everything is in the library ([`hagen::app`]); this file only picks
//! the allocator and turns the exit code into the process's.

/// mimalloc instead of the system's allocator. A check allocates a small value for nearly
/// every YAML value and frees them all, and decoding and building allocate on several
/// threads at once; glibc's malloc grows each thread's arena a page at a time (one
/// `mprotect` per page) and frees slowly. With mimalloc the benchmark's check of a
/// 1,000-group file took about a third less time, its parse-only pass a fifth less, and peak
/// memory stayed within SPEC section 7's bound (README, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    /// mimalloc's own `mi_option_set` (`mimalloc.h`), from the library the `mimalloc` crate
    /// links in.
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in the `mi_option_e` of the mimalloc v2 that `mimalloc =0.1.52`
/// bundles (the 16th option; its default is 10 ms).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

fn main() {
    // hagen runs for a moment and exits: memory it frees is worth keeping for its next
    // allocation. By default mimalloc gives freed memory back to the system 10 ms later, and
    // the next allocation has the kernel zero fresh pages again: on a 200,000-line script
    // that made 5x the page faults, and a longer run purges more often, so the cost grew
    // faster than the input.
    // SAFETY: sets an integer option of the linked allocator; no memory is touched.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    std::process::exit(hagen::app::main());
}
