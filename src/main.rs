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

fn main() {
    std::process::exit(hagen::app::main());
}
