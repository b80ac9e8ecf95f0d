package io.attnstream.video.sim;

import io.attnstream.video.image.Rgb;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The things standing in the street at one moment: trees, lamp poles with signs, cars on their
 * lanes and pedestrians on the sidewalks, drawn far to near (painter's order) over the background.
 * Cars and pedestrians move along their tracks with time, wrapping around at the ends, so
 * consecutive frames differ.
 */
final class SceneObjects {
    private static final byte CAR = StreetSceneGenerator.CAR;
    private static final byte PEDESTRIAN = StreetSceneGenerator.PEDESTRIAN;
    private static final byte TREE = StreetSceneGenerator.TREE;
    private static final byte POLE = StreetSceneGenerator.POLE;
    private static final byte SIGN = StreetSceneGenerator.SIGN_SYMBOL;

    /** Objects nearer than this are behind the lens. */
    private static final double NEAR_CLIP = 1.5;

    private static final double FAR_CLIP = 220;

    private record Item(double depth, Runnable draw) {}

    private final StreetLayout street;
    private final SceneView view;
    private final SceneCanvas canvas;

    SceneObjects(StreetLayout street, SceneView view, SceneCanvas canvas) {
        this.street = street;
        this.view = view;
        this.canvas = canvas;
    }

    /** Where a moving object is at time t on a track from {@code near} to {@code far}. */
    static double trackDepth(
            double phase, int direction, double speed, double seconds, double far) {
        double span = far - StreetLayout.TRACK_NEAR;
        double p = (phase + direction * speed * seconds) % span;
        return StreetLayout.TRACK_NEAR + (p < 0 ? p + span : p);
    }

    void draw(double seconds) {
        List<Item> items = new ArrayList<>();
        for (StreetLayout.Tree t : street.trees) {
            items.add(new Item(t.z(), () -> tree(t)));
        }
        for (StreetLayout.Pole p : street.poles) {
            items.add(new Item(p.z(), () -> pole(p)));
        }
        for (StreetLayout.CarTrack c : street.cars) {
            double z =
                    trackDepth(c.phase(), c.direction(), c.speed(), seconds, StreetLayout.CAR_FAR);
            items.add(new Item(z, () -> car(c, z)));
        }
        for (StreetLayout.Walker w : street.walkers) {
            double z =
                    trackDepth(
                            w.phase(), w.direction(), w.speed(), seconds, StreetLayout.WALKER_FAR);
            double stride = 2 * Math.PI * seconds * w.speed() / 1.4 + w.phase();
            items.add(new Item(z, () -> walker(w, z, stride)));
        }
        items.removeIf(i -> i.depth() < NEAR_CLIP || i.depth() > FAR_CLIP);
        items.sort(Comparator.comparingDouble(Item::depth).reversed());
        for (Item i : items) {
            i.draw().run();
        }
    }

    private void tree(StreetLayout.Tree t) {
        double z = t.z();
        double s = view.scale(z);
        double u = view.u(t.x(), z);
        double crownY = t.trunkHeight() + 0.9 * t.crownRadius();
        int bark = t.trunkColour();
        rectWorld(t.x() - 0.15, 0, t.x() + 0.15, crownY, z, TREE, (x, y) -> bark);
        double cv = view.v(crownY, z);
        double rx = t.crownRadius() * s;
        double ry = 1.15 * t.crownRadius() * s;
        int leaf = t.leafColour();
        canvas.fillEllipse(
                u,
                cv,
                rx,
                ry,
                TREE,
                (x, y) -> {
                    double mx = (x + 0.5 - u) / s;
                    double my = (y + 0.5 - cv) / s;
                    double light =
                            0.5
                                    + 0.55 * SceneNoise.value(t.key(), mx * 2.5, my * 2.5)
                                    + 0.2 * SceneNoise.value(t.key() + 1, mx * 8, my * 8)
                                    - 0.12 * my / t.crownRadius();
                    return Rgb.scale(leaf, light);
                });
    }

    private void pole(StreetLayout.Pole p) {
        double z = p.z();
        int metal = 0x5A5F64;
        rectWorld(p.x() - 0.09, 0, p.x() + 0.09, p.height(), z, POLE, (x, y) -> metal);
        double armEnd = p.x() + p.armDirection() * 1.6;
        rectWorld(
                Math.min(p.x(), armEnd),
                p.height() - 0.14,
                Math.max(p.x(), armEnd),
                p.height(),
                z,
                POLE,
                (x, y) -> metal);
        rectWorld(
                Math.min(armEnd, armEnd - p.armDirection() * 0.5),
                p.height() - 0.3,
                Math.max(armEnd, armEnd - p.armDirection() * 0.5),
                p.height() - 0.14,
                z,
                POLE,
                (x, y) -> 0xC8C8BE);
        if (p.signShape() == 0) {
            return;
        }
        double s = view.scale(z);
        double cu = view.u(p.x(), z);
        double cv = view.v(p.signHeight(), z);
        double r = 0.32 * s;
        int face = p.signColour();
        if (p.signShape() == 1) {
            canvas.fillEllipse(
                    cu,
                    cv,
                    r,
                    r,
                    SIGN,
                    (x, y) -> {
                        double d = Math.hypot(x + 0.5 - cu, y + 0.5 - cv) / r;
                        return d > 0.75 ? 0xF0F0F0 : face;
                    });
        } else {
            canvas.fillRect(
                    cu - r,
                    cv - r,
                    cu + r,
                    cv + r,
                    SIGN,
                    (x, y) -> {
                        double d = Math.max(Math.abs(x + 0.5 - cu), Math.abs(y + 0.5 - cv)) / r;
                        return d > 0.8 ? 0xF0F0F0 : face;
                    });
        }
    }

    /**
     * A car as two boxes, the body and the narrower cabin on it; the camera sees the face towards
     * it (rear of a car driving away, front of an oncoming one), the side towards the camera and
     * the tops.
     */
    private void car(StreetLayout.CarTrack c, double z) {
        double w = c.width();
        double len = c.length();
        double bodyTop = Math.min(0.95, 0.55 * c.height());
        boolean van = c.height() > 1.8;
        double cabinNear = z + (van ? 0.08 : 0.25) * len;
        double cabinFar = z + (van ? 0.95 : 0.78) * len;
        double cabinHalf = 0.45 * w;
        int body = c.colour();
        int glass = Rgb.mix(0x232A34, street.skyHorizon, 0.25);
        boolean rear = c.direction() > 0;

        box(c.x() - w / 2, c.x() + w / 2, 0, bodyTop, z, z + len, body);
        box(c.x() - cabinHalf, c.x() + cabinHalf, bodyTop, c.height(), cabinNear, cabinFar, body);
        // Windows of the cabin's near face.
        double u0 = view.u(c.x() - cabinHalf, cabinNear);
        double u1 = view.u(c.x() + cabinHalf, cabinNear);
        double v0 = view.v(c.height(), cabinNear);
        double v1 = view.v(bodyTop, cabinNear);
        canvas.fillRect(
                u0 + 0.08 * (u1 - u0),
                v0 + 0.12 * (v1 - v0),
                u1 - 0.08 * (u1 - u0),
                v1 - 0.08 * (v1 - v0),
                CAR,
                (x, y) -> Rgb.mix(glass, 0x8C96A0, 0.3 * (y + 0.5 - v0) / Math.max(1e-9, v1 - v0)));
        // The body's near face: lights, plate, bumper, tyres.
        double b0 = view.u(c.x() - w / 2, z);
        double b1 = view.u(c.x() + w / 2, z);
        double t0 = view.v(bodyTop, z);
        double t1 = view.v(0, z);
        int lamp = rear ? 0xC81414 : 0xF0EBC8;
        canvas.fillRect(
                b0,
                t0,
                b1,
                t1,
                CAR,
                (x, y) -> {
                    double fx = (x + 0.5 - b0) / Math.max(1e-9, b1 - b0);
                    double fy = (y + 0.5 - t0) / Math.max(1e-9, t1 - t0);
                    if (fy > 0.82) {
                        return fx < 0.2 || fx > 0.8 ? 0x141414 : Rgb.scale(body, 0.45);
                    }
                    if (fy > 0.15 && fy < 0.38 && (fx < 0.17 || fx > 0.83)) {
                        return lamp;
                    }
                    if (fy > 0.45 && fy < 0.66 && fx > 0.38 && fx < 0.62) {
                        return 0xE6E6DC;
                    }
                    return fy > 0.7 ? Rgb.scale(body, 0.6) : body;
                });
        // Wheels on the visible side.
        double sideX = visibleSide(c.x() - w / 2, c.x() + w / 2);
        if (!Double.isNaN(sideX)) {
            for (double wz : new double[] {z + 0.18 * len, z + 0.8 * len}) {
                double wu0 = view.u(sideX, wz - 0.33);
                double wu1 = view.u(sideX, wz + 0.33);
                double wv = view.v(0.33, wz);
                double ry = 0.33 * view.scale(wz);
                canvas.fillEllipse(
                        (wu0 + wu1) / 2, wv, Math.abs(wu1 - wu0) / 2, ry, CAR, (x, y) -> 0x1A1A1A);
            }
        }
    }

    /** A box's top, visible side and near face, in that order (the near face covers the others). */
    private void box(double x0, double x1, double y0, double y1, double z0, double z1, int colour) {
        if (view.cameraHeight() > y1) {
            int top = Rgb.scale(colour, 1.12);
            quad(
                    new double[] {x0, x1, x1, x0},
                    new double[] {y1, y1, y1, y1},
                    new double[] {z0, z0, z1, z1},
                    CAR,
                    (x, y) -> top);
        }
        double sideX = visibleSide(x0, x1);
        if (!Double.isNaN(sideX)) {
            int side = Rgb.scale(colour, 0.78);
            quad(
                    new double[] {sideX, sideX, sideX, sideX},
                    new double[] {y0, y0, y1, y1},
                    new double[] {z0, z1, z1, z0},
                    CAR,
                    (x, y) -> side);
        }
        rectWorld(x0, y0, x1, y1, z0, CAR, (x, y) -> colour);
    }

    /**
     * The X of the side face the camera sees, or NaN when it looks straight at the box's near face.
     */
    private double visibleSide(double x0, double x1) {
        if (view.cameraX() < x0) {
            return x0;
        }
        if (view.cameraX() > x1) {
            return x1;
        }
        return Double.NaN;
    }

    /** A pedestrian seen from the front or back, legs and arms swinging with the stride. */
    private void walker(StreetLayout.Walker w, double z, double stride) {
        double h = w.height();
        double x = w.x();
        double swing = 0.2 * Math.sin(stride);
        int trousers = w.trousers();
        int shirt = w.shirt();
        double hip = 0.52 * h;
        double shoulder = 0.82 * h;
        limb(x - 0.08, hip, x - 0.08 + swing, 0, 0.15, z, PEDESTRIAN, trousers);
        limb(x + 0.08, hip, x + 0.08 - swing, 0, 0.15, z, PEDESTRIAN, Rgb.scale(trousers, 0.85));
        quad(
                new double[] {x - 0.17, x + 0.17, x + 0.22, x - 0.22},
                new double[] {hip, hip, shoulder, shoulder},
                new double[] {z, z, z, z},
                PEDESTRIAN,
                (px, py) -> shirt);
        limb(
                x - 0.22,
                shoulder,
                x - 0.26 - 0.6 * swing,
                hip - 0.05,
                0.1,
                z,
                PEDESTRIAN,
                Rgb.scale(shirt, 0.85));
        limb(
                x + 0.22,
                shoulder,
                x + 0.26 + 0.6 * swing,
                hip - 0.05,
                0.1,
                z,
                PEDESTRIAN,
                Rgb.scale(shirt, 0.85));
        double s = view.scale(z);
        double hu = view.u(x, z);
        double hv = view.v(0.91 * h, z);
        double hr = 0.13 * s;
        int skin = w.skin();
        canvas.fillEllipse(
                hu,
                hv,
                0.8 * hr,
                hr,
                PEDESTRIAN,
                (px, py) -> py + 0.5 < hv - 0.3 * hr ? 0x281E19 : skin);
    }

    /** A limb from (xa, ya) to (xb, yb) at depth z, {@code width} metres thick. */
    private void limb(
            double xa,
            double ya,
            double xb,
            double yb,
            double width,
            double z,
            byte label,
            int colour) {
        double half = width / 2;
        quad(
                new double[] {xa - half, xa + half, xb + half, xb - half},
                new double[] {ya, ya, yb, yb},
                new double[] {z, z, z, z},
                label,
                (x, y) -> colour);
    }

    private void rectWorld(
            double x0,
            double y0,
            double x1,
            double y1,
            double z,
            byte label,
            SceneCanvas.Shader s) {
        canvas.fillRect(view.u(x0, z), view.v(y1, z), view.u(x1, z), view.v(y0, z), label, s);
    }

    /** A planar convex quad given by its world corners. */
    private void quad(double[] xs, double[] ys, double[] zs, byte label, SceneCanvas.Shader s) {
        double[] u = new double[xs.length];
        double[] v = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            u[i] = view.u(xs[i], zs[i]);
            v[i] = view.v(ys[i], zs[i]);
        }
        canvas.fillConvex(u, v, label, s);
    }
}
