package io.reelset.stages.clustering;

import io.reelset.values.EmbeddedCrop;
import io.reelset.values.IdentityAssignment;
import io.reelset.vision.cluster.ClusterModel;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/** Gives every embedded crop the identity of its nearest micro-cluster in the model (a side input). */
final class AssignIdentitiesFn extends DoFn<EmbeddedCrop, IdentityAssignment> {
  private static final long serialVersionUID = 1L;
  private final PCollectionView<ClusterModel> model;

  AssignIdentitiesFn(PCollectionView<ClusterModel> model) {
    this.model = model;
  }

  @ProcessElement
  public void process(@Element EmbeddedCrop crop, ProcessContext context) {
    ClusterModel.Assignment a = context.sideInput(model).assign(crop.embedding());
    context.output(new IdentityAssignment(crop.crop(), crop.embedding(), a.identity(), a.distance(),
        a.isNoise() ? IdentityAssignment.Source.NOISE : IdentityAssignment.Source.CLUSTER));
  }
}
