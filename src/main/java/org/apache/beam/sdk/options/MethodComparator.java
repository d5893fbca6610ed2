/*
 * Licensed to the Apache Software Foundation (ASF) under one
 * or more contributor license agreements.  See the NOTICE file
 * distributed with this work for additional information
 * regarding copyright ownership.  The ASF licenses this file
 * to you under the Apache License, Version 2.0 (the
 * "License"); you may not use this file except in compliance
 * with the License.  You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.apache.beam.sdk.options;

// reelset: stands in for Beam 2.70.0's PipelineOptionsFactory.MethodComparator (Apache License 2.0,
// as above), a private nested class whose compiled name is PipelineOptionsFactory$MethodComparator:
// the same order (by Method.toGenericString), with each method's generic string worked out once
// instead of twice per comparison. PipelineOptionsFactory sorts every registered options interface's
// methods with it, again for each interface it registers, at the start of every run: 0.17 s of a
// 2.3 s start (a 1 s clip, 2 cores) went into building those strings. Beam's class file is compiled
// for Java 8 (no nest attributes), and PipelineOptionsFactory reads only INSTANCE (package-private)
// and compare (public), so a top-level class of that binary name links in its place. The jar takes
// this class instead of Beam's (pom.xml, shade filter); MethodComparatorTest checks that it is the
// one in use and fails when Beam's version changes.

import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;

/** Orders methods by their generic signature, as Beam's comparator of this name does. */
final class PipelineOptionsFactory$MethodComparator implements Comparator<Method> {
  static final PipelineOptionsFactory$MethodComparator INSTANCE = new PipelineOptionsFactory$MethodComparator();

  /** Method equality is by declaring class, name and signature, so copies of one method share an entry. */
  private static final ConcurrentHashMap<Method, String> SIGNATURES = new ConcurrentHashMap<>();

  private PipelineOptionsFactory$MethodComparator() {}

  @Override
  public int compare(Method o1, Method o2) {
    return signature(o1).compareTo(signature(o2));
  }

  private static String signature(Method method) {
    return SIGNATURES.computeIfAbsent(method, Method::toGenericString);
  }

  /** How many methods have had their signature worked out (for tests). */
  static int signatures() {
    return SIGNATURES.size();
  }
}
