package dev.nosso.retrieval;

/**
 * One bit per dimension of each vector: set when the component is above the mean of the owner's vectors.
 * Embeddings share a common direction; without centring most bits would agree for every vector.
 */
record SignCodes(float[] mean, long[] bits, int words) {

    static SignCodes of(float[] data, int size, int dimensions) {
        float[] mean = new float[dimensions];
        for (int i = 0; i < size; i++) {
            for (int d = 0; d < dimensions; d++) {
                mean[d] += data[i * dimensions + d];
            }
        }
        for (int d = 0; d < dimensions; d++) {
            mean[d] /= Math.max(1, size);
        }
        int words = (dimensions + 63) / 64;
        long[] bits = new long[size * words];
        for (int i = 0; i < size; i++) {
            for (int d = 0; d < dimensions; d++) {
                if (data[i * dimensions + d] > mean[d]) {
                    bits[i * words + d / 64] |= 1L << (d % 64);
                }
            }
        }
        return new SignCodes(mean, bits, words);
    }

    /**
     * The query, centred like the vectors, with each component scaled to 0..15 and kept as four bit planes,
     * so that a vector's approximate score is four AND-and-popcounts per 64 dimensions.
     */
    QueryCode of(float[] query) {
        int dimensions = mean.length;
        float low = Float.MAX_VALUE;
        float high = -Float.MAX_VALUE;
        float[] centred = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            centred[d] = query[d] - mean[d];
            low = Math.min(low, centred[d]);
            high = Math.max(high, centred[d]);
        }
        float range = Math.max(high - low, Float.MIN_NORMAL);
        long[] planes = new long[4 * words];
        for (int d = 0; d < dimensions; d++) {
            int level = Math.round((centred[d] - low) / range * 15);
            for (int p = 0; p < 4; p++) {
                if ((level >> p & 1) != 0) {
                    planes[p * words + d / 64] |= 1L << (d % 64);
                }
            }
        }
        // Σ level·bit grows with the vector's count of set bits as well; this much per bit takes the
        // offset of the scaling (zero sits at level 15·(-low)/range) back out.
        return new QueryCode(planes, words, 15 * -low / range);
    }

    /** A query coded against one {@link SignCodes}. */
    record QueryCode(long[] planes, int words, float perBit) {

        float score(long[] bits, int offset) {
            int sum = 0;
            int set = 0;
            for (int w = 0; w < words; w++) {
                long b = bits[offset + w];
                set += Long.bitCount(b);
                sum += Long.bitCount(planes[w] & b)
                        + (Long.bitCount(planes[words + w] & b) << 1)
                        + (Long.bitCount(planes[2 * words + w] & b) << 2)
                        + (Long.bitCount(planes[3 * words + w] & b) << 3);
            }
            return sum - perBit * set;
        }
    }
}
