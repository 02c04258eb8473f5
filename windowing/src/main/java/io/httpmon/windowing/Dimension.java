package io.httpmon.windowing;

/**
 * What a window counts, beyond hits and bytes: one counter per distinct item of each dimension. The code is the
 * byte that tags the dimension in the state store's keys.
 */
public enum Dimension {
    STATUS('c'),
    METHOD('m'),
    SECTION('s'),
    RESOURCE('r'),
    USER('u'),
    HOST('H');

    final byte code;

    Dimension(char code) {
        this.code = (byte) code;
    }

    static Dimension of(byte code) {
        for (Dimension d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        return null;
    }

    /** The JSON name of the dimension in a partial. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
