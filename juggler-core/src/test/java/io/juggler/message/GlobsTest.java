package io.juggler.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GlobsTest {

  @Test
  void eachRunOfStarsCountsOnce() {
    assertEquals(0, Globs.wildcards("news.today"));
    assertEquals(1, Globs.wildcards("news.*"));
    assertEquals(1, Globs.wildcards("news.**"));
    assertEquals(2, Globs.wildcards("*.news.*"));
    assertEquals(5, Globs.wildcards("a*b*c*d*e*"));
  }

  @Test
  void oneCharacterWildcardsAndLiteralStarsDoNotCount() {
    assertEquals(0, Globs.wildcards("room.??"));
    assertEquals(0, Globs.wildcards("room.[ab]"));
    assertEquals(0, Globs.wildcards("room.[*]"));
    assertEquals(0, Globs.wildcards("room.\\*"));
    assertEquals(1, Globs.wildcards("room.\\**"));
    assertEquals(1, Globs.wildcards("room.[\\]*]*"));
    assertEquals(0, Globs.wildcards("room.[*")); // an open set runs to the end, as in Redis
  }
}
