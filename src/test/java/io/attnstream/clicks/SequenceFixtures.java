package io.attnstream.clicks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Synthetic interaction sequences for the clicks training and evaluation tests. */
public final class SequenceFixtures {
    private SequenceFixtures() {}

    /**
     * Users with a latent category who walk through their category's items in a fixed cyclic order:
     * with probability {@code follow} the next item is the successor of the current one, otherwise
     * a random item of the category. Every item is equally popular, so most-popular ranks at chance
     * while the next item is learnable from the last one. Item ids are "i1".."iV", user ids
     * "u0".."u(n-1)".
     *
     * @param items V, a multiple of {@code categories}
     * @param minLength shortest sequence (>= 3 so every user has a held-out item)
     */
    public static Map<String, List<String>> categoryWalks(
            int users,
            int items,
            int categories,
            int minLength,
            int maxLength,
            double follow,
            long seed) {
        Random random = new Random(seed);
        int perCategory = items / categories;
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int u = 0; u < users; u++) {
            int category = random.nextInt(categories);
            int length = minLength + random.nextInt(maxLength - minLength + 1);
            int position = random.nextInt(perCategory);
            List<String> seq = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                seq.add("i" + (category * perCategory + position + 1));
                position =
                        random.nextDouble() < follow
                                ? (position + 1) % perCategory
                                : random.nextInt(perCategory);
            }
            out.put("u" + u, seq);
        }
        return out;
    }
}
