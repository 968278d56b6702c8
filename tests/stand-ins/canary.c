/* The canary for the injection tests (tests/wine_canary.rs): a program that must never run.
 *
 * Generated scripts are fed values that try to start a second command (`x & canary.exe`,
 * `%COMSPEC% /c canary`, ...). If cmd.exe ever runs this program, it creates the file named by
 * HAGEN_CANARY and writes its command line there, so the test sees that and what ran it. It
 * exits 0 either way; without HAGEN_CANARY it exits 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

int main(void) {
    const char *marker = getenv("HAGEN_CANARY");
    FILE *f;
    if (marker == NULL) return 3;
    f = fopen(marker, "ab");
    if (f == NULL) return 4;
    fprintf(f, "%s\n", GetCommandLineA());
    fclose(f);
    return 0;
}
