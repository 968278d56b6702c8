/* Stand-in for CLUSTERPRO's ARMLOAD, ARMKILL, ARMBCAST and ARMFOVER, for the tests that run the
 * generated scripts under Wine (tests/common/wine.rs builds it once under each of those names).
 *
 * Why: the real commands only exist on a cluster node. This one records what the script asked for
 * and does nothing else, so a test can compare the calls with what the cluster file means.
 *
 * It appends one line per call to the file named by HAGEN_ARM_LOG: its own name (the executable's
 * basename without .exe, upper case), a space, then the rest of its command line as cmd.exe passed
 * it, byte for byte (GetCommandLineA, in the ANSI code page: CP932 under a Japanese locale, so
 * Japanese messages keep the bytes the script holds). When HAGEN_ARM_PROBE names paths (separated
 * by ';'), the line starts with one '+' (exists) or '-' (missing) per path, then a space: that
 * shows what the script's own commands (del, rmdir) had done by the time of the call.
 * It exits 0, like a successful command; without HAGEN_ARM_LOG it exits 3, so that a broken
 * harness cannot pass for a script that called nothing.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

int main(void) {
    char name[MAX_PATH], probes[4096];
    const char *log = getenv("HAGEN_ARM_LOG"), *probe = getenv("HAGEN_ARM_PROBE");
    const char *args = GetCommandLineA();
    DWORD n = GetModuleFileNameA(NULL, name, sizeof name);
    char *base = name, *p;
    FILE *f;
    if (log == NULL || n == 0 || n >= sizeof name) return 3;
    for (p = name; *p; p++)
        if (*p == '\\' || *p == '/') base = p + 1;
    if ((p = strrchr(base, '.')) != NULL && _stricmp(p, ".exe") == 0) *p = '\0';
    for (p = base; *p; p++) *p = (char)toupper((unsigned char)*p);
    /* Skip the program token (quoted or not), then the blanks before the first argument. */
    if (*args == '"') {
        for (args++; *args && *args != '"'; args++) {}
        if (*args) args++;
    } else {
        while (*args && *args != ' ' && *args != '\t') args++;
    }
    while (*args == ' ' || *args == '\t') args++;
    if ((f = fopen(log, "ab")) == NULL) return 3;
    if (probe != NULL && strlen(probe) < sizeof probes) {
        strcpy(probes, probe);
        for (p = strtok(probes, ";"); p != NULL; p = strtok(NULL, ";"))
            fputc(GetFileAttributesA(p) == INVALID_FILE_ATTRIBUTES ? '-' : '+', f);
        fputc(' ', f);
    }
    fprintf(f, "%s %s\n", base, args);
    return fclose(f) == 0 ? 0 : 3;
}
