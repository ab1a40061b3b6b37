package net.adgrid.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SameOriginPostsTest {

  @Test
  void theAuthorityOfAnOriginOrRefererIsWhatIsComparedWithHost() {
    assertEquals("127.0.0.1:8080", SameOriginPosts.authority("http://127.0.0.1:8080"));
    assertEquals("ads.example", SameOriginPosts.authority("https://ads.example/app/?x=1"));
    assertNull(SameOriginPosts.authority("not a url at all"));
    assertNull(SameOriginPosts.authority("null"));
  }
}
