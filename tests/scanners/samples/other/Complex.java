public class Complex {
    public int simple(int a) {
        return a + 1;
    }

    public int branchy(int a, int b) {
        int t = 0;
        if (a > 1) { t++; }
        if (a > 2) { t++; }
        if (a > 3) { t++; }
        if (a > 4) { t++; }
        if (a > 5) { t++; }
        if (a > 6) { t++; }
        if (a > 7) { t++; }
        if (a > 8) { t++; }
        if (b > 1) { t++; }
        if (b > 2) { t++; }
        if (b > 3) { t++; }
        if (b > 4) { t++; }
        if (b > 5) { t++; }
        if (b > 6) { t++; }
        if (b > 7) { t++; }
        if (b > 8) { t++; }
        return t;
    }
}
