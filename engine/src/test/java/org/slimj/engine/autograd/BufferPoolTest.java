package org.slimj.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Size classes and their dense index; buffers given back are served again. */
class BufferPoolTest {
  @Test
  void classIndicesAreDenseAndFollowTheClasses() {
    int previousClass = BufferPool.sizeClass(1);
    int previousIndex = BufferPool.classIndex(previousClass);
    assertEquals(0, previousIndex);
    for (int n = 2; n < 5_000_000; n += 1 + n / 97) {
      int cls = BufferPool.sizeClass(n);
      int index = BufferPool.classIndex(cls);
      assertTrue(cls >= n, "class " + cls + " of " + n);
      if (cls == previousClass) {
        assertEquals(previousIndex, index, "same class, same index at n=" + n);
      } else {
        assertEquals(previousIndex + 1, index, "next class " + cls + " after " + previousClass + " at n=" + n);
      }
      previousClass = cls;
      previousIndex = index;
    }
  }

  @Test
  void aBufferGivenBackIsTakenAgain() {
    BufferPool pool = new BufferPool();
    float[] a = pool.take(1000);
    pool.give(a);
    assertSame(a, pool.take(990), "same size class");
    assertEquals(a.length, pool.allocatedFloats());
  }
}
