package io.attnstream.video.sim;

import io.attnstream.video.image.Rgb;

/**
 * The static part of a street scene, ray-cast per pixel: sky, the two facades (buildings with
 * floors and windows, or park trees), the road with its markings and the paved sidewalks. Each
 * pixel's class and colour come from the same ray hit, and the textures live in world coordinates,
 * so they shrink with distance like real ones.
 */
final class SceneBackground {
    private final StreetLayout street;
    private final SceneView view;
    private final long key;

    SceneBackground(StreetLayout street, SceneView view) {
        this.street = street;
        this.view = view;
        this.key = street.key;
    }

    void draw(SceneCanvas canvas) {
        double f = view.focal();
        double camX = street.cameraX;
        double camH = street.cameraHeight;
        double facadeLeft = street.facadeLeft();
        double facadeRight = street.facadeRight();
        for (int y = 0; y < canvas.height; y++) {
            double dy = (y + 0.5 - view.horizon()) / f; // > 0 below the horizon
            double tGround = dy > 1e-12 ? camH / dy : Double.POSITIVE_INFINITY;
            for (int x = 0; x < canvas.width; x++) {
                double dx = (x + 0.5 - view.cx()) / f;
                int side = dx < 0 ? -1 : 1;
                double tFacade =
                        dx < 0
                                ? (-facadeLeft - camX) / dx
                                : dx > 0 ? (facadeRight - camX) / dx : Double.POSITIVE_INFINITY;
                if (tFacade < tGround) {
                    double wallY = camH - dy * tFacade;
                    StreetLayout.Segment s = street.segmentAt(side, tFacade);
                    double top = s.park() ? parkTop(s, tFacade) : s.height();
                    if (wallY <= top) {
                        byte label =
                                s.park()
                                        ? StreetSceneGenerator.TREE
                                        : StreetSceneGenerator.BUILDING;
                        canvas.set(x, y, facade(s, side, tFacade, wallY), label);
                        continue;
                    }
                    if (dy > 0) { // passes over the facade going down: the roof, or the park
                        // behind it
                        byte label =
                                s.park()
                                        ? StreetSceneGenerator.TREE
                                        : StreetSceneGenerator.BUILDING;
                        canvas.set(x, y, Rgb.scale(s.colour(), 0.6), label);
                        continue;
                    }
                }
                if (tGround < Double.POSITIVE_INFINITY) {
                    double gx = camX + dx * tGround;
                    boolean road = Math.abs(gx) <= street.roadHalf;
                    canvas.set(
                            x,
                            y,
                            road ? road(gx, tGround) : pavement(gx, tGround),
                            road ? StreetSceneGenerator.ROAD : StreetSceneGenerator.PAVEMENT);
                } else {
                    canvas.set(x, y, sky(dx, dy), StreetSceneGenerator.SKY);
                }
            }
        }
    }

    private double parkTop(StreetLayout.Segment s, double z) {
        return s.height() + 3 * SceneNoise.value(s.key(), z * 0.35, 0.5) - 1.5;
    }

    private int facade(StreetLayout.Segment s, int side, double z, double y) {
        double shade = side < 0 ? street.leftShade : street.rightShade;
        if (s.park()) {
            double leaf =
                    0.45
                            + 0.5 * SceneNoise.value(s.key(), z * 1.6, y * 1.6)
                            + 0.25 * SceneNoise.value(s.key() + 1, z * 5, y * 5);
            return Rgb.scale(s.colour(), leaf * shade);
        }
        double u = z - s.z0();
        double grime = 0.85 + 0.25 * SceneNoise.value(s.key(), z * 0.6, y * 0.6);
        if (u < 0.25) { // the joint between two buildings
            return Rgb.scale(s.colour(), 0.65 * shade);
        }
        double floors = y / s.floorHeight();
        int row = (int) Math.floor(floors);
        double fv = floors - row;
        double columns = u / s.windowSpacing();
        int col = (int) Math.floor(columns);
        double fu = columns - col;
        double half = s.windowWidth() / 2;
        if (row == 0) {
            // Shop fronts: wide windows at street level.
            if (fv > 0.15 && fv < 0.8 && Math.abs(fu - 0.5) < 0.42) {
                double lit = SceneNoise.uniform(s.key(), col, row, 7);
                return Rgb.scale(Rgb.mix(s.windowColour(), 0xC8C8B4, lit * 0.5), shade);
            }
        } else if (y < s.height() - 0.8
                && Math.abs(fu - 0.5) < half
                && fv > 0.3
                && fv < 0.3 + s.windowHeight()) {
            double lit = SceneNoise.uniform(s.key(), col, row, 7);
            int glass = lit < 0.15 ? Rgb.mix(s.windowColour(), 0xF0DC96, 0.6) : s.windowColour();
            // Glass reflects the sky: lighter towards the top of the pane.
            double reflect = 0.3 * (fv - 0.3) / s.windowHeight();
            return Rgb.scale(Rgb.mix(glass, street.skyHorizon, reflect), shade);
        }
        if (fv < 0.05 && row >= 1) { // a cornice line at each floor
            return Rgb.scale(s.colour(), 0.8 * grime * shade);
        }
        return Rgb.scale(s.colour(), grime * shade);
    }

    private int road(double x, double z) {
        double patch =
                0.8
                        + 0.3 * SceneNoise.value(key + 11, x * 0.4, z * 0.4)
                        + 0.1 * SceneNoise.value(key + 12, x * 3, z * 3);
        int base = Rgb.scale(street.asphalt, patch);
        double ax = Math.abs(x);
        boolean mark;
        if (street.lanesPerDirection == 1) {
            mark = ax < 0.075 && frac(z / 6) < 0.5;
        } else {
            mark =
                    ax > 0.06 && ax < 0.2
                            || Math.abs(ax - street.laneWidth) < 0.07 && frac(z / 9) < 0.35;
        }
        mark |= Math.abs(ax - (street.roadHalf - 0.25)) < 0.07;
        if (!Double.isNaN(street.crossingZ)
                && z > street.crossingZ
                && z < street.crossingZ + 4
                && ax < street.roadHalf - 0.4) {
            mark |= frac((x + 50) / 1.0) < 0.5;
        }
        if (mark) {
            double wear = 0.55 + 0.45 * SceneNoise.value(key + 13, x * 2, z * 2);
            return Rgb.mix(base, street.marking, wear);
        }
        return base;
    }

    private int pavement(double x, double z) {
        double fromKerb = Math.abs(x) - street.roadHalf;
        double patch = 0.88 + 0.2 * SceneNoise.value(key + 21, x * 0.7, z * 0.7);
        if (fromKerb < 0.25) {
            return Rgb.scale(street.kerb, patch);
        }
        double tile = street.tileSize;
        boolean joint = frac(x / tile) < 0.06 || frac(z / tile) < 0.06;
        return Rgb.scale(street.paving, patch * (joint ? 0.8 : 1.0));
    }

    private int sky(double dx, double dy) {
        double up = Math.min(1, Math.max(0, -dy * 2.2));
        int base = Rgb.mix(street.skyHorizon, street.skyTop, up);
        if (street.cloudiness <= 0) {
            return base;
        }
        double c =
                0.65 * SceneNoise.value(key + 31, dx * 3 + 10, dy * 9)
                        + 0.35 * SceneNoise.value(key + 32, dx * 7, dy * 20);
        double cover = smoothstep(1 - street.cloudiness, 1, c + 0.25 * street.cloudiness);
        return Rgb.mix(base, 0xE6E6EA, cover);
    }

    static double frac(double v) {
        return v - Math.floor(v);
    }

    static double smoothstep(double edge0, double edge1, double v) {
        double t = Math.min(1, Math.max(0, (v - edge0) / (edge1 - edge0)));
        return t * t * (3 - 2 * t);
    }
}
