package dev.nosso.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The best {@code limit} (index, score) pairs seen: a min-heap on primitive arrays, its root the one to beat. */
final class TopK {
    private final int limit;
    private final int[] index;
    private final float[] score;
    private int size;

    TopK(int limit) {
        this.limit = limit;
        this.index = new int[limit];
        this.score = new float[limit];
    }

    void offer(int i, float s) {
        if (size < limit) {
            index[size] = i;
            score[size] = s;
            up(size++);
        } else if (s > score[0]) {
            index[0] = i;
            score[0] = s;
            down();
        }
    }

    int size() {
        return size;
    }

    /** The index of the {@code j}-th pair held, in no particular order. */
    int indexAt(int j) {
        return index[j];
    }

    TopK merge(TopK other) {
        for (int j = 0; j < other.size; j++) {
            offer(other.index[j], other.score[j]);
        }
        return this;
    }

    List<Scored> toScored(UUID[] ids) {
        List<Scored> result = new ArrayList<>(size);
        for (int j = 0; j < size; j++) {
            result.add(new Scored(ids[index[j]], score[j]));
        }
        result.sort((a, b) -> Double.compare(b.score(), a.score()));
        return result;
    }

    private void up(int j) {
        while (j > 0) {
            int parent = (j - 1) / 2;
            if (score[j] >= score[parent]) {
                return;
            }
            swap(j, parent);
            j = parent;
        }
    }

    private void down() {
        int j = 0;
        while (true) {
            int left = 2 * j + 1;
            int smallest = j;
            if (left < size && score[left] < score[smallest]) {
                smallest = left;
            }
            if (left + 1 < size && score[left + 1] < score[smallest]) {
                smallest = left + 1;
            }
            if (smallest == j) {
                return;
            }
            swap(j, smallest);
            j = smallest;
        }
    }

    private void swap(int a, int b) {
        int i = index[a];
        index[a] = index[b];
        index[b] = i;
        float s = score[a];
        score[a] = score[b];
        score[b] = s;
    }
}
