package io.attnstream.video.sim;

import io.attnstream.video.image.Rgb;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything about one camera's street that does not change between frames: where the camera
 * stands, the road, pavements and facades, trees and poles, the colours and the lighting, and the
 * tracks the cars and pedestrians move along. Drawn at random from (seed, camera), so every camera
 * shows a different street and a model has to learn shapes and textures rather than one set of
 * colours.
 *
 * <p>World coordinates, in metres: X across the street (0 = road centre, right positive), Y up from
 * the ground, Z along the street away from the camera.
 */
final class StreetLayout {
    /**
     * Nearest and farthest depth of the moving objects' tracks; they wrap around from one end to
     * the other.
     */
    static final double TRACK_NEAR = 3;

    static final double CAR_FAR = 93;
    static final double WALKER_FAR = 45;

    /** A stretch of facade along one side: a building, or a park whose trees stand in a wall. */
    record Segment(
            double z0,
            double height,
            boolean park,
            int colour,
            int windowColour,
            double floorHeight,
            double windowSpacing,
            double windowWidth,
            double windowHeight,
            long key) {}

    record Tree(
            double x,
            double z,
            double trunkHeight,
            double crownRadius,
            int trunkColour,
            int leafColour,
            long key) {}

    /** A street lamp, perhaps with a sign; {@code signShape} 0 = none, 1 = round, 2 = square. */
    record Pole(
            double x,
            double z,
            double height,
            double armDirection,
            int signShape,
            double signHeight,
            int signColour) {}

    /**
     * Cars of one lane, equally spaced so they never overlap: {@code direction} +1 away from the
     * camera.
     */
    record CarTrack(
            double x,
            int direction,
            double speed,
            double phase,
            double width,
            double height,
            double length,
            int colour) {}

    record Walker(
            double x,
            int direction,
            double speed,
            double phase,
            double height,
            int shirt,
            int trousers,
            int skin) {}

    // Camera.
    final double cameraX;
    final double cameraHeight;

    /** Focal length as a fraction of the image width. */
    final double focal;

    /**
     * Horizon row as a fraction of the image height (the camera is level; a real pitch moves the
     * horizon).
     */
    final double horizon;

    /** Vanishing point column as a fraction of the image width (a small yaw). */
    final double principal;

    // Street.
    final double roadHalf;
    final int lanesPerDirection;
    final double laneWidth;
    final double pavementLeft;
    final double pavementRight;
    final double crossingZ;
    final int asphalt;
    final int marking;
    final int paving;
    final int kerb;
    final double tileSize;

    // Sky and light.
    final int skyTop;
    final int skyHorizon;
    final double cloudiness;
    final double gain;
    final double tintR;
    final double tintG;
    final double tintB;
    final double noiseSigma;
    final double vignette;
    final double leftShade;
    final double rightShade;

    final Segment[] left;
    final Segment[] right;
    final double[] leftStarts;
    final double[] rightStarts;
    final List<Tree> trees = new ArrayList<>();
    final List<Pole> poles = new ArrayList<>();
    final List<CarTrack> cars = new ArrayList<>();
    final List<Walker> walkers = new ArrayList<>();
    final long key;

    private static final int[] FACADES = {
        0x96463A, 0xC8B48C, 0x8C8C8C, 0xD7D7CD, 0x6E503C, 0xBEA0AA, 0x5A7896, 0x46414A, 0xA08264,
        0xB4BEAA,
    };
    private static final int[] CAR_COLOURS = {
        0xB41E1E, 0x1E3C96, 0xE6E6E6, 0x1E1E23, 0xA0A5AA, 0xDCB41E, 0x285A32, 0x64283C, 0x5A5F64,
        0xF0F0F0,
    };
    private static final int[] CLOTHES = {
        0x283C78, 0xB42828, 0x1E1E1E, 0xE6E6E6, 0x3C643C, 0x8C6E50, 0xC8A028, 0x6E3C82, 0x505A64,
        0xD27832,
    };
    private static final int[] SKIN = {0xF0C8A0, 0xD2A078, 0xA0704B, 0x6E4B32};

    StreetLayout(long seed, int camera) {
        key = SceneNoise.hash(seed, camera, 0x5eed, 0);
        SplittableRandom r = new SplittableRandom(key);
        lanesPerDirection = r.nextDouble() < 0.6 ? 1 : 2;
        laneWidth = between(r, 3.0, 3.6);
        roadHalf = lanesPerDirection * laneWidth + between(r, 0.3, 1.2);
        pavementLeft = between(r, 2.0, 5.0);
        pavementRight = between(r, 2.0, 5.0);
        // Street cameras hang on poles and buildings, usually nearer one kerb than the road centre.
        cameraX = between(r, -roadHalf - 0.5 * pavementLeft, roadHalf + 0.5 * pavementRight);
        cameraHeight = between(r, 2.5, 6.0);
        focal = between(r, 0.6, 0.9);
        horizon = between(r, 0.36, 0.52);
        principal = 0.5 + between(r, -0.1, 0.1) - 0.25 * cameraX / (roadHalf + 4);
        crossingZ = r.nextDouble() < 0.4 ? between(r, 12, 40) : Double.NaN;

        int grey = (int) between(r, 55, 120);
        asphalt =
                Rgb.jitter(
                        Rgb.of(grey, grey, grey + 4),
                        8,
                        r.nextDouble(),
                        r.nextDouble(),
                        r.nextDouble());
        marking = Rgb.of(between(r, 200, 240), between(r, 200, 240), between(r, 170, 225));
        int pave = (int) Math.min(215, grey + between(r, 35, 95));
        paving =
                Rgb.jitter(
                        Rgb.of(pave + 8, pave, pave - 10),
                        14,
                        r.nextDouble(),
                        r.nextDouble(),
                        r.nextDouble());
        kerb = Rgb.scale(paving, between(r, 1.05, 1.2));
        tileSize = between(r, 0.5, 1.2);

        double sky = r.nextDouble();
        if (sky < 0.45) { // clear
            skyTop = Rgb.jitter(0x4682C8, 20, r.nextDouble(), r.nextDouble(), r.nextDouble());
            skyHorizon = Rgb.jitter(0xAACAE6, 15, r.nextDouble(), r.nextDouble(), r.nextDouble());
            cloudiness = between(r, 0, 0.4);
        } else if (sky < 0.8) { // overcast, as in much of CamVid
            int g = (int) between(r, 170, 225);
            skyTop = Rgb.of(g - 10, g - 5, g);
            skyHorizon = Rgb.of(g + 15, g + 15, g + 15);
            cloudiness = between(r, 0.2, 0.6);
        } else { // dusk
            skyTop = Rgb.jitter(0x505A96, 20, r.nextDouble(), r.nextDouble(), r.nextDouble());
            skyHorizon = Rgb.jitter(0xE6A478, 20, r.nextDouble(), r.nextDouble(), r.nextDouble());
            cloudiness = between(r, 0, 0.3);
        }
        gain = between(r, 0.7, 1.2);
        tintR = between(r, 0.9, 1.1);
        tintG = between(r, 0.92, 1.08);
        tintB = between(r, 0.88, 1.12);
        noiseSigma = between(r, 2, 9);
        vignette = between(r, 0, 0.35);
        boolean sunLeft = r.nextBoolean();
        leftShade = sunLeft ? 1.0 : between(r, 0.55, 0.85);
        rightShade = sunLeft ? between(r, 0.55, 0.85) : 1.0;

        left = facade(r, 1);
        right = facade(r, 2);
        leftStarts = starts(left);
        rightStarts = starts(right);

        double treeChance = r.nextDouble();
        for (int side = -1; side <= 1; side += 2) {
            double pavement = side < 0 ? pavementLeft : pavementRight;
            if (treeChance < 0.6 && r.nextDouble() < 0.75) {
                double spacing = between(r, 9, 20);
                int leaf = Rgb.jitter(0x3C6E2D, 25, r.nextDouble(), r.nextDouble(), r.nextDouble());
                double x = side * (roadHalf + Math.min(1.2, 0.4 * pavement));
                for (double z = between(r, 9, 9 + spacing);
                        z < 160;
                        z += spacing * between(r, 0.85, 1.15)) {
                    trees.add(
                            new Tree(
                                    x,
                                    z,
                                    between(r, 1.8, 3.2),
                                    between(r, 1.4, 2.6),
                                    Rgb.jitter(
                                            0x5A4632,
                                            15,
                                            r.nextDouble(),
                                            r.nextDouble(),
                                            r.nextDouble()),
                                    Rgb.jitter(
                                            leaf,
                                            12,
                                            r.nextDouble(),
                                            r.nextDouble(),
                                            r.nextDouble()),
                                    r.nextLong()));
                }
            }
            double spacing = between(r, 22, 40);
            double x = side * (roadHalf + 0.3);
            for (double z = between(r, 5, 5 + spacing); z < 200; z += spacing) {
                int shape = r.nextDouble() < 0.35 ? 1 + r.nextInt(2) : 0;
                int signColour = new int[] {0xC81E1E, 0x1E50B4, 0xE6E6E6, 0xE6C81E}[r.nextInt(4)];
                poles.add(
                        new Pole(
                                x,
                                z,
                                between(r, 5, 8),
                                -side,
                                shape,
                                between(r, 2.0, 3.0),
                                signColour));
            }
        }

        for (int side = -1; side <= 1; side += 2) {
            for (int lane = 0; lane < lanesPerDirection; lane++) {
                // Right-hand traffic: cars on the right drive away from the camera.
                double x = side * (lane + 0.5) * laneWidth;
                double speed = between(r, 5, 14);
                int count = 1 + r.nextInt(3);
                double phase = r.nextDouble() * (CAR_FAR - TRACK_NEAR);
                for (int k = 0; k < count; k++) {
                    boolean van = r.nextDouble() < 0.15;
                    cars.add(
                            new CarTrack(
                                    x + between(r, -0.3, 0.3),
                                    side,
                                    speed,
                                    phase + k * (CAR_FAR - TRACK_NEAR) / count,
                                    between(r, 1.65, 1.95),
                                    van ? between(r, 1.9, 2.4) : between(r, 1.35, 1.6),
                                    van ? between(r, 4.8, 5.8) : between(r, 3.8, 4.8),
                                    Rgb.jitter(
                                            CAR_COLOURS[r.nextInt(CAR_COLOURS.length)],
                                            15,
                                            r.nextDouble(),
                                            r.nextDouble(),
                                            r.nextDouble())));
                }
            }
            double pavement = side < 0 ? pavementLeft : pavementRight;
            int walkers = r.nextInt(5);
            for (int k = 0; k < walkers; k++) {
                double x = side * (roadHalf + between(r, 0.5, Math.max(0.6, pavement - 0.5)));
                this.walkers.add(
                        new Walker(
                                x,
                                r.nextBoolean() ? 1 : -1,
                                between(r, 0.9, 1.6),
                                r.nextDouble() * (WALKER_FAR - TRACK_NEAR),
                                between(r, 1.55, 1.9),
                                CLOTHES[r.nextInt(CLOTHES.length)],
                                CLOTHES[r.nextInt(CLOTHES.length)],
                                SKIN[r.nextInt(SKIN.length)]));
            }
        }
    }

    /** Distance from the road centre to the facade on the left (positive). */
    double facadeLeft() {
        return roadHalf + pavementLeft;
    }

    double facadeRight() {
        return roadHalf + pavementRight;
    }

    /** The facade segment of a side (-1 left, +1 right) at depth z. */
    Segment segmentAt(int side, double z) {
        Segment[] segments = side < 0 ? left : right;
        double[] starts = side < 0 ? leftStarts : rightStarts;
        int i = Arrays.binarySearch(starts, z);
        if (i < 0) {
            i = -i - 2;
        }
        return segments[Math.max(0, i)];
    }

    private static Segment[] facade(SplittableRandom r, int side) {
        List<Segment> out = new ArrayList<>();
        double parkChance = r.nextDouble() * 0.3;
        // Segments start behind the camera so the nearest facade is never missing; the last one
        // runs to infinity.
        for (double z = -20; z < 600; ) {
            boolean park = r.nextDouble() < parkChance;
            double length = park ? between(r, 15, 40) : between(r, 8, 30);
            int colour =
                    Rgb.jitter(
                            FACADES[r.nextInt(FACADES.length)],
                            22,
                            r.nextDouble(),
                            r.nextDouble(),
                            r.nextDouble());
            int window =
                    Rgb.jitter(
                            r.nextBoolean() ? 0x2D3746 : 0x6E8CA0,
                            20,
                            r.nextDouble(),
                            r.nextDouble(),
                            r.nextDouble());
            double floor = between(r, 2.9, 3.8);
            // Mostly one to five floors, now and then a tower of up to nine.
            int floors = 1 + r.nextInt(r.nextDouble() < 0.2 ? 9 : 5);
            out.add(
                    new Segment(
                            z,
                            park ? between(r, 5, 12) : floor * floors + between(r, 0.3, 1.5),
                            park,
                            park
                                    ? Rgb.jitter(
                                            0x37642D,
                                            20,
                                            r.nextDouble(),
                                            r.nextDouble(),
                                            r.nextDouble())
                                    : colour,
                            window,
                            floor,
                            between(r, 2.4, 4.2),
                            between(r, 0.35, 0.65),
                            between(r, 0.4, 0.6),
                            r.nextLong() ^ side));
            z += length;
        }
        return out.toArray(new Segment[0]);
    }

    private static double[] starts(Segment[] segments) {
        double[] z = new double[segments.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = segments[i].z0();
        }
        return z;
    }

    private static double between(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
