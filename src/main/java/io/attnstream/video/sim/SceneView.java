package io.attnstream.video.sim;

/**
 * The pinhole camera of one rendering: a level camera at (cameraX, cameraHeight, 0) looking along
 * +Z. A world point projects to column {@code cx + f (X - cameraX) / Z} and row {@code horizon + f
 * (cameraHeight - Y) / Z}. All sizes are in pixels of this rendering, so the same street comes out
 * at any width and height.
 */
record SceneView(double focal, double cx, double horizon, double cameraX, double cameraHeight) {
    static SceneView of(StreetLayout layout, int width, int height) {
        return new SceneView(
                layout.focal * width,
                layout.principal * width,
                layout.horizon * height,
                layout.cameraX,
                layout.cameraHeight);
    }

    double u(double x, double z) {
        return cx + focal * (x - cameraX) / z;
    }

    double v(double y, double z) {
        return horizon + focal * (cameraHeight - y) / z;
    }

    /** Pixels per metre at depth z. */
    double scale(double z) {
        return focal / z;
    }
}
