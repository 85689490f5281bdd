/*
 * Regenerates mkl_bernoulli_vectors.json, the reference draws Mcg31BernoulliTests compares against: Intel MKL's
 * viRngBernoulli(VSL_RNG_METHOD_BERNOULLI_ICDF) on VSL_BRNG_MCG31 streams, what the official libtorch runs for
 * Dropout's bernoulli_(1 - p) on an Intel CPU (aten/src/ATen/native/cpu/DistributionKernels.cpp).
 *
 * MKL is in Debian's non-free component (libmkl-rt, libmkl-dev; 2020.4 in Debian 12):
 *   echo 'deb http://deb.debian.org/debian bookworm non-free' > /etc/apt/sources.list.d/non-free.list
 *   apt-get update && apt-get install -y libmkl-rt libmkl-dev
 *   gcc -O2 -I/usr/include/mkl make_mkl_bernoulli_vectors.c -o make_mkl_bernoulli_vectors -lmkl_rt
 *   MKL_THREADING_LAYER=sequential ./make_mkl_bernoulli_vectors > mkl_bernoulli_vectors.json
 * With an argument p (e.g. 0.7), it instead walks the stream's whole period (2^31 - 2 states) and prints how many of
 * MKL's outputs disagree with the rule Mcg31Bernoulli implements, and with two rules that are almost it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <mkl.h>

static const unsigned long long M = 2147483647ull, A = 1132489760ull;

/* the rule ScratchNet implements: x / m in double, rounded to float, below p rounded to float */
static int rule(unsigned long long x, double p) { return (float)((double)x / (double)M) < (float)p; }

static void print_case(unsigned seed, double p, int skip, int count, int *first)
{
    int *r = malloc(sizeof(int) * (size_t)count);
    VSLStreamStatePtr stream;
    vslNewStream(&stream, VSL_BRNG_MCG31, seed);
    if (skip > 0)
        vslSkipAheadStream(stream, skip);
    viRngBernoulli(VSL_RNG_METHOD_BERNOULLI_ICDF, stream, count, r, p);
    vslDeleteStream(&stream);
    printf("%s\n    {\"seed\": %u, \"p\": %.17g, \"skip\": %d, \"bits\": \"", *first ? "" : ",", seed, p, skip);
    for (int i = 0; i < count; i++)
        putchar(r[i] ? '1' : '0');
    printf("\"}");
    *first = 0;
    free(r);
}

static int exhaustive(double p)
{
    enum { Chunk = 100000000 };
    int *r = malloc(sizeof(int) * Chunk);
    VSLStreamStatePtr stream;
    vslNewStream(&stream, VSL_BRNG_MCG31, 1);
    unsigned long long x = 1, done = 0, total = M - 1;
    long long mismatches = 0, double_rule = 0, float_division = 0;
    while (done < total) {
        int n = (int)(total - done < Chunk ? total - done : Chunk);
        viRngBernoulli(VSL_RNG_METHOD_BERNOULLI_ICDF, stream, n, r, p);
        for (int i = 0; i < n; i++) {
            mismatches += rule(x, p) != r[i];
            double_rule += ((double)x / (double)M < p) != r[i];
            float_division += ((float)x / (float)M < (float)p) != r[i];
            x = x * A % M;
        }
        done += (unsigned long long)n;
    }
    printf("p %.17g, %llu states: rule %lld mismatches; compared in double %lld; divided in float %lld\n",
           p, done, mismatches, double_rule, float_division);
    free(r);
    return mismatches != 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return exhaustive(atof(argv[1]));
    char version[256];
    mkl_get_version_string(version, sizeof version);
    printf("{\n  \"mkl\": \"%s\",\n  \"cases\": [", version);
    int first = 1;
    const unsigned seeds[] = {0u, 1u, 42u, 7u, 123456789u, 2147483646u, 2147483647u, 2147483648u, 3000000000u, 4294967295u};
    const double ps[] = {0.7, 0.5, 0.9, 0.1};
    for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++)
        for (size_t k = 0; k < sizeof ps / sizeof *ps; k++)
            print_case(seeds[s], ps[k], 0, 1000, &first);
    /* a chunk of libtorch's parallel loop: the stream skipped ahead to the chunk's first element */
    print_case(42u, 0.7, 800, 200, &first);
    print_case(7u, 0.5, 1000000, 64, &first);
    /* states whose quotient x / m lies within float rounding of p: seeded with x, element 0 is that state */
    const double edges[] = {0.7, 0.5, 0.9};
    for (size_t k = 0; k < sizeof edges / sizeof *edges; k++) {
        unsigned long long centre = (unsigned long long)(edges[k] * (double)M);
        for (unsigned long long x = centre - 80; x <= centre + 80; x += 4)
            print_case((unsigned)x, edges[k], 0, 1, &first);
    }
    printf("\n  ]\n}\n");
    return 0;
}
