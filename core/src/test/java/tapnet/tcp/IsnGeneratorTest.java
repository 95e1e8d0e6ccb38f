package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class IsnGeneratorTest {
    @Test
    void sipHashMatchesTheReferenceVectorForSixteenBytes() {
        // Key 00..0f and message 00..0f, as in the SipHash paper's test vectors (vectors[16]); the value was
        // checked against an independent implementation that reproduces the paper's 15-byte vector
        // a129ca6149be45e5.
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        IsnGenerator isn = new IsnGenerator(k0, k1);
        assertEquals(0x3f2acc7f57c29bdbL, isn.sipHash24(0x0706050403020100L, 0x0f0e0d0c0b0a0908L));
    }

    @Test
    void sameTupleAndTimeGiveTheSameIsnAndTheKeyChangesIt() {
        IsnGenerator a = new IsnGenerator(1, 2);
        IsnGenerator b = new IsnGenerator(1, 3);
        assertEquals(a.isn(10, 80, 20, 40000, 0), a.isn(10, 80, 20, 40000, 0));
        assertNotEquals(a.isn(10, 80, 20, 40000, 0), b.isn(10, 80, 20, 40000, 0), "MUST-9: keyed");
    }

    @Test
    void clockAddsOnePer4Microseconds() {
        IsnGenerator isn = new IsnGenerator(5, 6);
        assertEquals(1000, isn.isn(1, 2, 3, 4, 4_000_000) - isn.isn(1, 2, 3, 4, 0), "MUST-8: clock-driven");
    }
}
